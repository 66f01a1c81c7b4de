package com.asconboard.asc;

import java.util.List;

/**
 * App Store Connect answered with an error, or could not be reached. Carries the HTTP status (0
 * when there was no answer) and Apple's errors as given, so unknown codes still show. The message
 * names the method and path, never the query string or a token. {@link Diagnosis#of} says what it means.
 */
public final class AscException extends Exception {
    private final int status;
    private final List<AscError> errors;

    public AscException(int status, List<AscError> errors, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<AscError> errors() {
        return errors;
    }

    /** True when no answer came back at all (network failure, timeout). */
    public boolean unreachable() {
        return status == 0;
    }

    public boolean hasCode(String prefix) {
        return errors.stream().anyMatch(e -> e.codeStartsWith(prefix));
    }

    /** Apple's own words for the first error (code, then detail or title), made safe to repeat; else the status. */
    public String appleSays() {
        if (errors.isEmpty()) {
            return status == 0 ? getMessage() : "HTTP " + status;
        }
        AscError first = errors.get(0);
        String words = AppleWords.quote(first.words());
        String code = first.code() == null ? "" : AppleWords.quote(first.code());
        if (code.isEmpty()) {
            return words.isEmpty() ? "HTTP " + status : words;
        }
        return words.isEmpty() ? code : code + ": " + words;
    }
}
