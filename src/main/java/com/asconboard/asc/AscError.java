package com.asconboard.asc;

/**
 * One entry of Apple's error body {@code {"errors":[{id, status, code, title, detail, source, links, meta}]}}.
 * Unknown codes are kept; every part may be missing. {@code source} is the parameter or JSON pointer Apple
 * names, {@code see} the {@code links.see} hint some 403s carry (e.g. {@code /agreements}).
 */
public record AscError(String id, String status, String code, String title, String detail, String source,
        String see) {

    /** The four parts every caller reads; the rest unknown. */
    public AscError(String status, String code, String title, String detail) {
        this(null, status, code, title, detail, null, null);
    }

    public boolean codeStartsWith(String prefix) {
        return code != null && code.startsWith(prefix);
    }

    /** Apple's explanation: the detail, else the title, else nothing (never null). */
    public String words() {
        return detail != null && !detail.isBlank() ? detail : title != null ? title : "";
    }
}
