package com.asconboard.asc;

/** One entry of Apple's error body {@code {"errors":[{status, code, title, detail}]}}. Unknown codes are kept. */
public record AscError(String status, String code, String title, String detail) {
    public boolean codeStartsWith(String prefix) {
        return code != null && code.startsWith(prefix);
    }
}
