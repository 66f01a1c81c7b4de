package com.asconboard.ticket;

import java.time.Instant;

/**
 * One entry of a ticket's audit trail: who ({@code actor}, a Slack user ID or {@link #SYSTEM}),
 * what ({@code kind} and a sentence), when.
 */
public record TicketEvent(long ticketId, Instant at, String actor, Kind kind, String detail) {
    public static final String SYSTEM = "system";
    /** The customer's admin, acting through the upload page. */
    public static final String CUSTOMER = "customer";

    public enum Kind {
        OPENED, DETAILS_EDITED, CLOSED, LINK_CREATED, LINK_EXPIRED, LINK_LOCKED, LINK_REUSED, KEY_RECEIVED,
        VERIFICATION_STARTED, VERIFIED, NOT_VERIFIED, ACCESS_CONFIRMED,
        CERTIFICATE_CREATED, CERTIFICATE_FAILED, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRING, KEY_REJECTED, SLOTS_FULL,
        TEAM_MISMATCH, ACCOUNT_BLOCKED, ACCOUNT_UNBLOCKED
    }
}
