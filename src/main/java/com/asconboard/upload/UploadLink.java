package com.asconboard.upload;

import java.time.Instant;

/** One issued upload link, as stored: the token itself is never kept, only its hash. */
public record UploadLink(
        long id,
        long ticketId,
        LinkStatus status,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        int failedAttempts,
        Instant usedAt) {

    /** Active and not yet past its expiry. */
    public boolean isUsable(Instant now) {
        return status == LinkStatus.ACTIVE && now.isBefore(expiresAt);
    }
}
