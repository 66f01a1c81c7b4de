package com.asconboard.asc;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A pending invitation to the account ({@code /v1/userInvitations}). Invitations lapse after
 * {@link #LIFETIME_DAYS} days; {@code expires} is null when Apple's date is absent or unreadable (unknown).
 */
public record AscInvitation(String id, String email, List<String> roles, Boolean provisioningAllowed,
        Instant expires) {
    public static final int LIFETIME_DAYS = 3;

    public AscInvitation {
        roles = List.copyOf(roles);
    }

    static AscInvitation from(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        return new AscInvitation(Json.string(resource, "id"), Json.string(a, "email"), AscUser.roles(a),
                Json.bool(a, "provisioningAllowed"), AppleDates.parse(Json.string(a, "expirationDate")).orElse(null));
    }

    /** Expired for sure; an unknown expiry is not "expired". */
    public boolean isExpired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** What the user will lack once the invitation is accepted; empty when nothing. */
    public List<String> missingGrants() {
        return AscUser.missingGrants(roles, provisioningAllowed);
    }
}
