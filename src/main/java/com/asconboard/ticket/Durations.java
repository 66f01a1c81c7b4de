package com.asconboard.ticket;

import java.time.Duration;

/** Durations in the words a thread message uses: "24 hours", "3 days", "90 minutes". */
public final class Durations {
    private Durations() {
    }

    /** "every day", "every 6 hours". */
    public static String every(Duration duration) {
        String words = words(duration);
        return "every " + (words.startsWith("1 ") ? words.substring(2) : words);
    }

    public static String words(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes % (24 * 60) == 0 && minutes >= 24 * 60) {
            return plural(minutes / (24 * 60), "day");
        }
        if (minutes % 60 == 0 && minutes >= 60) {
            return plural(minutes / 60, "hour");
        }
        if (minutes >= 1) {
            return plural(minutes, "minute");
        }
        return plural(Math.max(1, duration.toSeconds()), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
