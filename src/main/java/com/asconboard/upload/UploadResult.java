package com.asconboard.upload;

import com.asconboard.i18n.Message;

/**
 * What became of one POST to an upload link; {@code status} is the HTTP status it is answered with,
 * {@code message} what the customer is told, in the page's language.
 */
public record UploadResult(Kind kind, Message message, String keyId) {

    public enum Kind {
        ACCEPTED(200), INVALID(400), NOT_FOUND(404), GONE(410), TOO_MANY_ATTEMPTS(429);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public int status() {
        return kind.status();
    }

    static UploadResult of(Kind kind, Message message) {
        return new UploadResult(kind, message, null);
    }
}
