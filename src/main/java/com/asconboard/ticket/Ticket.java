package com.asconboard.ticket;

import java.time.Instant;

/**
 * One customer's onboarding. {@code workspaceId} is the Slack workspace it belongs to; the status
 * message lives at {@code channelId}/{@code messageTs} once posted.
 */
public record Ticket(
        long id,
        String workspaceId,
        String channelId,
        String messageTs,
        TicketDetails details,
        TicketStatus status,
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
        boolean certificatePending) {

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

    public boolean isOpen() {
        return status == TicketStatus.OPEN;
    }

    public Ticket withMessageTs(String ts) {
        return new Ticket(id, workspaceId, channelId, ts, details, status, createdBy, createdAt, updatedAt, closedBy,
                closedAt, keyReceivedAt, verification, accessConfirmedBy, certificate, certificateProblem, watchedAt, watchResult,
                detailsVersion, certificatePending);
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
