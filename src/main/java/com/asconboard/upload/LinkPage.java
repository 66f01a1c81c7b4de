package com.asconboard.upload;

import java.time.Instant;

/**
 * What {@code GET /upload/{token}} shows: the upload form for a usable link, or why it cannot be
 * used. Reading it changes nothing.
 */
public record LinkPage(UploadResult.Kind kind, String customer, String expectedKeyId, Instant expiresAt,
        String message) {

    public boolean showsForm() {
        return kind == UploadResult.Kind.ACCEPTED;
    }
}
