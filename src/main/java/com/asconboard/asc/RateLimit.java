package com.asconboard.asc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Apple's {@code X-Rate-Limit: user-hour-lim:3600;user-hour-rem:3599;} header, read tolerantly. */
public record RateLimit(int limit, int remaining) {
    private static final Pattern LIMIT = Pattern.compile("user-hour-lim:(\\d+)");
    private static final Pattern REMAINING = Pattern.compile("user-hour-rem:(\\d+)");

    /** The header's values, or null when it is absent or unreadable. */
    public static RateLimit parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher limit = LIMIT.matcher(header);
        Matcher remaining = REMAINING.matcher(header);
        if (!limit.find() || !remaining.find()) {
            return null;
        }
        try {
            return new RateLimit(Integer.parseInt(limit.group(1)), Integer.parseInt(remaining.group(1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Close to the hourly limit: the last 5 % (at least 10 requests). */
    public boolean nearlyExhausted() {
        return remaining <= Math.max(10, limit / 20);
    }
}
