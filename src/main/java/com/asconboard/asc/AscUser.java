package com.asconboard.asc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A user of the account: who, with which roles, and whether provisioning is allowed. Apple lists an Admin
 * as {@code roles: ["ADMIN"]} alone: Admins and the Account Holder reach certificates and cloud-managed
 * distribution by their role, so the two grants are asked of other roles only.
 */
public record AscUser(String id, String username, List<String> roles, Boolean provisioningAllowed) {
    public static final String CLOUD_MANAGED_DISTRIBUTION = "CLOUD_MANAGED_APP_DISTRIBUTION";
    /** Roles that include access to certificates and cloud-managed distribution. */
    static final Set<String> IMPLICIT_ACCESS = Set.of("ADMIN", "ACCOUNT_HOLDER");
    /** Roles for which Apple offers the two grants at all. */
    static final Set<String> GRANTABLE = Set.of("APP_MANAGER", "DEVELOPER");

    public AscUser {
        roles = List.copyOf(roles);
    }

    static AscUser user(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        return new AscUser(Json.string(resource, "id"), Json.string(a, "username"), roles(a),
                Json.bool(a, "provisioningAllowed"));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Admin or Account Holder: certificate access comes with the role. */
    public boolean hasImplicitAccess() {
        return roles.stream().anyMatch(IMPLICIT_ACCESS::contains);
    }

    /** Whether the two grants can be ticked for this user's roles (App Manager, Developer). */
    public boolean mayBeGranted() {
        return roles.stream().anyMatch(GRANTABLE::contains);
    }

    /** What the user still lacks for the vendor's work, in App Store Connect's words; empty when nothing. */
    public List<String> missingGrants() {
        return missingGrants(roles, provisioningAllowed);
    }

    static List<String> missingGrants(List<String> roles, Boolean provisioningAllowed) {
        List<String> missing = new ArrayList<>();
        if (roles.stream().anyMatch(IMPLICIT_ACCESS::contains)) {
            return missing;
        }
        if (!Boolean.TRUE.equals(provisioningAllowed)) {
            missing.add("Access to Certificates, Identifiers & Profiles");
        }
        if (!roles.contains(CLOUD_MANAGED_DISTRIBUTION)) {
            missing.add("Access to Cloud Managed Distribution Certificate");
        }
        return missing;
    }

    static List<String> roles(JsonObject attributes) {
        List<String> roles = new ArrayList<>();
        for (JsonElement e : Json.array(attributes, "roles")) {
            if (e.isJsonPrimitive()) {
                roles.add(e.getAsString());
            }
        }
        return List.copyOf(roles);
    }
}
