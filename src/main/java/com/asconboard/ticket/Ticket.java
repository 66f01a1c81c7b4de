package com.asconboard.ticket;

import java.time.Instant;

/**
 * One customer's account with the vendor, from onboarding to offboarding. {@code workspaceId} is the Slack
 * workspace it belongs to; the status message lives at {@code channelId}/{@code messageTs} once posted.
 * {@code owner} is the engineer reminders mention (the opener unless changed); {@code closedBy} and
 * {@code closedAt} say who ended it and when (closed or offboarded).
 */
public record Ticket(
        long id,
        String workspaceId,
        String channelId,
        String messageTs,
        TicketDetails details,
        Lifecycle lifecycle,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        String closedBy,
        Instant closedAt,
        Instant keyReceivedAt,
        Verification verification,
        String accessConfirmedBy,
        VendorCertificate certificate,
        String certificateProblem,
        Instant watchedAt,
        String watchResult,
        int detailsVersion,
        boolean certificatePending,
        String owner,
        Instant activatedAt) {

    public static final String PREFIX = "ASC-";

    /** The name users see and type, e.g. {@code ASC-12}. */
    public String key() {
        return PREFIX + id;
    }

    public boolean hasKey() {
        return keyReceivedAt != null;
    }

    /** Everything a verification needs is there: the key, the Issuer ID and the Key ID. */
    public boolean readyToVerify() {
        return hasKey() && details.issuerId() != null && details.keyId() != null;
    }

    /** Onboarding or active: it still takes edits, uploads and verifications. */
    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    public boolean isActive() {
        return lifecycle == Lifecycle.ACTIVE;
    }

    public Ticket withMessageTs(String ts) {
        return new Ticket(id, workspaceId, channelId, ts, details, lifecycle, createdBy, createdAt, updatedAt, closedBy,
                closedAt, keyReceivedAt, verification, accessConfirmedBy, certificate, certificateProblem, watchedAt, watchResult,
                detailsVersion, certificatePending, owner, activatedAt);
    }

    /** Parses {@code ASC-12} (any case, surrounding space allowed) into 12, or -1 when it is not a ticket key. */
    public static long parseKey(String text) {
        if (text == null) {
            return -1;
        }
        String value = text.strip();
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        } else if (value.startsWith("#")) {
            value = value.substring(1);
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(value);
    }
}
