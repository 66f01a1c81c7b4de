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
        TEAM_MISMATCH, ACCOUNT_BLOCKED, ACCOUNT_UNBLOCKED,
        /** The five steps passed: the account is active and watched. */
        ACTIVATED,
        OFFBOARDED,
        /** The vendor's own certificate revoked at Apple on offboarding, freeing the customer's slot. */
        VENDOR_CERTIFICATE_REVOKED,
        /** The stored API key was destroyed (after the offboarding's certificate revocation needed it). */
        KEY_DESTROYED,
        /** The ticket waits on the customer: the owner is reminded of the next step. */
        REMINDER,
        /** The detail is the new owner's Slack user ID. */
        OWNER_CHANGED,
        /** The API key was written out for the release pipeline, by the command line. */
        KEY_EXPORTED
    }
}
