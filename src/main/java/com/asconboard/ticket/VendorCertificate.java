package com.asconboard.ticket;

import java.time.Duration;
import java.time.Instant;

/** The vendor's distribution certificate in a customer's account, as the bot created and last saw it. */
public record VendorCertificate(long id, String ascId, String serial, String name, Instant expiresAt, Status status) {

    public enum Status {
        /** In the account and not expired, as far as the last check knows. */
        ACTIVE,
        /** Gone from the account before its expiry: someone revoked it. */
        REVOKED,
        /** A newer one took over; this one keeps working until it expires. */
        REPLACED
    }

    public boolean usable(Instant now) {
        return status != Status.REVOKED && now.isBefore(expiresAt);
    }

    /** Whole days until expiry (negative once expired). */
    public long daysLeft(Instant now) {
        return Duration.between(now, expiresAt).toDays();
    }
}
