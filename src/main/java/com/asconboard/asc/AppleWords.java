package com.asconboard.asc;

import java.util.regex.Pattern;

/**
 * Apple's own words made safe to repeat in a thread, a log or a terminal: one line, bounded, and without
 * anything that could be a credential (a bearer token, a long base64 run such as key or certificate
 * material) or a query string (which carries e-mail addresses and filters, not Apple's explanation).
 */
public final class AppleWords {
    static final int MAX_LENGTH = 300;
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.?[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{16,}");
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/_=-]{40,}");
    private static final Pattern QUERY = Pattern.compile("(https?://[^\\s?#\"']*|/[A-Za-z0-9._~/%-]*)\\?[^\\s\"']*");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\s]+");

    private AppleWords() {
    }

    /** The text cleaned as above; empty for null. */
    public static String quote(String text) {
        if (text == null) {
            return "";
        }
        String clean = CONTROL.matcher(text).replaceAll(" ").strip();
        clean = BEARER.matcher(clean).replaceAll("Bearer ****");
        clean = JWT.matcher(clean).replaceAll("****");
        clean = QUERY.matcher(clean).replaceAll("$1");
        clean = LONG_BASE64.matcher(clean).replaceAll("****");
        if (clean.length() > MAX_LENGTH) {
            clean = clean.substring(0, MAX_LENGTH - 1).stripTrailing() + "…";
        }
        return clean;
    }
}
