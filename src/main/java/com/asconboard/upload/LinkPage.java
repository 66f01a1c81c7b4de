package com.asconboard.upload;

import com.asconboard.i18n.Message;
import java.time.Instant;

/**
 * What {@code GET /upload/{token}} shows: the upload form for a usable link, or why it cannot be
 * used ({@code message}, rendered in the page's language). Reading it changes nothing.
 */
public record LinkPage(UploadResult.Kind kind, String customer, String expectedKeyId, Instant expiresAt,
        Message message) {

    public boolean showsForm() {
        return kind == UploadResult.Kind.ACCEPTED;
    }
}
