package com.asconboard.asc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A user or a pending invitation of the account: who, with which roles, whether provisioning is allowed, and
 * for an invitation when it expires (null when Apple does not say).
 */
public record AscUser(String id, String username, List<String> roles, Boolean provisioningAllowed, boolean pending,
        java.time.Instant expires) {
    public static final String CLOUD_MANAGED_DISTRIBUTION = "CLOUD_MANAGED_APP_DISTRIBUTION";

    static AscUser user(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        return new AscUser(Json.string(resource, "id"), Json.string(a, "username"), roles(a),
                Json.bool(a, "provisioningAllowed"), false, null);
    }

    static AscUser invitation(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        return new AscUser(Json.string(resource, "id"), Json.string(a, "email"), roles(a),
                Json.bool(a, "provisioningAllowed"), true, AscCertificate.instant(Json.string(a, "expirationDate")));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    private static List<String> roles(JsonObject attributes) {
        List<String> roles = new ArrayList<>();
        for (JsonElement e : Json.array(attributes, "roles")) {
            if (e.isJsonPrimitive()) {
                roles.add(e.getAsString());
            }
        }
        return List.copyOf(roles);
    }
}
