package com.asconboard.upload;

import com.asconboard.i18n.Message;
import com.asconboard.ticket.Field;
import java.util.Map;

/**
 * What became of one POST to an upload link; {@code status} is the HTTP status it is answered with,
 * {@code message} what the customer is told, in the page's language. {@code checking}: the key was taken and
 * Apple is being asked about it. {@code fieldErrors}: the details entered next to the file that were refused,
 * one message per field.
 */
public record UploadResult(Kind kind, Message message, String keyId, boolean checking,
        Map<Field, Message> fieldErrors) {

    public enum Kind {
        ACCEPTED(200), INVALID(400), DETAILS_INVALID(400), NOT_FOUND(404), BEING_CHECKED(409), GONE(410),
        TOO_MANY_ATTEMPTS(429);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public UploadResult {
        fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
    }

    public int status() {
        return kind.status();
    }

    static UploadResult of(Kind kind, Message message) {
        return new UploadResult(kind, message, null, false, Map.of());
    }

    static UploadResult detailsInvalid(Map<Field, Message> errors) {
        return new UploadResult(Kind.DETAILS_INVALID, null, null, false, errors);
    }
}
