package com.asconboard.asc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apple's {@code X-Rate-Limit} figures, read tolerantly. Real answers carry one window per header line
 * ({@code user-hour-lim:3600;user-hour-rem:3598;} and {@code user-minute-lim:…;user-minute-rem:…;}),
 * sometimes joined into one line with {@code ", "}; every window found is kept, so pacing follows the
 * tightest of them.
 */
public record RateLimit(List<Window> windows) {
    private static final Pattern FIGURE = Pattern.compile("([a-z]+)-(second|minute|hour|day)-(lim|rem):(\\d{1,9})");

    /** One window: e.g. {@code user-hour}, 3600 requests per hour, 3598 left. */
    public record Window(String name, Duration period, int limit, int remaining) {
        /** Close to the limit: the last 5 % (at least 10 requests). */
        public boolean nearlyExhausted() {
            return limit > 0 && remaining <= Math.max(10, limit / 20);
        }

        /** The spacing that spreads this window's requests evenly over its period. */
        Duration evenSpacing() {
            return period.dividedBy(Math.max(1, limit));
        }
    }

    public RateLimit {
        windows = List.copyOf(windows);
    }

    /** The figures of every header line given, or null when none is readable. */
    public static RateLimit parse(List<String> headerLines) {
        Map<String, int[]> figures = new LinkedHashMap<>();
        Map<String, Duration> periods = new LinkedHashMap<>();
        for (String line : headerLines == null ? List.<String>of() : headerLines) {
            if (line == null) {
                continue;
            }
            Matcher m = FIGURE.matcher(line);
            while (m.find()) {
                String name = m.group(1) + "-" + m.group(2);
                int[] pair = figures.computeIfAbsent(name, n -> new int[] {-1, -1});
                pair["lim".equals(m.group(3)) ? 0 : 1] = Integer.parseInt(m.group(4));
                periods.put(name, period(m.group(2)));
            }
        }
        List<Window> windows = new ArrayList<>();
        figures.forEach((name, pair) -> {
            if (pair[0] >= 0 && pair[1] >= 0) {
                windows.add(new Window(name, periods.get(name), pair[0], pair[1]));
            }
        });
        return windows.isEmpty() ? null : new RateLimit(windows);
    }

    /** One header line; see {@link #parse(List)}. */
    public static RateLimit parse(String headerLine) {
        return parse(headerLine == null ? List.of() : List.of(headerLine));
    }

    /** The window with the smallest share left: the one that runs out first. */
    public Window tightest() {
        return windows.stream().min(Comparator.comparingDouble(w -> w.limit() == 0 ? 0 : (double) w.remaining()
                / w.limit())).orElseThrow();
    }

    public Optional<Window> window(String name) {
        return windows.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    public boolean nearlyExhausted() {
        return windows.stream().anyMatch(Window::nearlyExhausted);
    }

    /**
     * How long to wait before the next request: for every window close to its limit, the even spacing
     * of its period; the longest of these (the tightest constraint), at most {@code cap}; zero otherwise.
     */
    public Duration pacing(Duration cap) {
        Duration wait = Duration.ZERO;
        for (Window w : windows) {
            if (w.nearlyExhausted() && w.evenSpacing().compareTo(wait) > 0) {
                wait = w.evenSpacing();
            }
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    private static Duration period(String unit) {
        return switch (unit) {
            case "second" -> Duration.ofSeconds(1);
            case "minute" -> Duration.ofMinutes(1);
            case "day" -> Duration.ofDays(1);
            default -> Duration.ofHours(1);
        };
    }
}
