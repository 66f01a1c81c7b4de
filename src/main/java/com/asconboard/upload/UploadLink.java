package com.asconboard.upload;

import java.time.Instant;

/**
 * One issued upload link, as stored: the token itself is never kept, only its hash. {@code usedAt} is when
 * the latest key came through it; {@code verdict} what Apple made of that key (null before a verdict, or when
 * no verification followed), with {@code verdictDetail} Apple's own words where the page quotes them.
 */
public record UploadLink(
        long id,
        long ticketId,
        LinkStatus status,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        int failedAttempts,
        Instant usedAt,
        Verdict verdict,
        String verdictDetail) {

    /** Active and not yet past its expiry. */
    public boolean isUsable(Instant now) {
        return status == LinkStatus.ACTIVE && now.isBefore(expiresAt);
    }

    /** Open again after Apple rejected the key that came through it. */
    public boolean reopenedAfterRejection() {
        return verdict != null && verdict.rejects();
    }
}
