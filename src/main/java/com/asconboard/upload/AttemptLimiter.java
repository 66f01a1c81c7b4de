package com.asconboard.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused uploads per client address in a fixed window; past the limit the address is
 * refused until its window ends. Bounded in memory: old windows are dropped as it fills.
 */
final class AttemptLimiter {
    private static final int MAX_TRACKED = 10_000;

    private record Window(Instant start, int count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int limit;
    private final Duration length;

    AttemptLimiter(Clock clock, int limit, Duration length) {
        this.clock = clock;
        this.limit = limit;
        this.length = length;
    }

    /** Seconds until {@code address} may try again, or 0 when it may now. */
    long retryAfterSeconds(String address) {
        Window window = windows.get(address);
        Instant now = clock.instant();
        if (window == null || !now.isBefore(window.start().plus(length)) || window.count() < limit) {
            return 0;
        }
        return Math.max(1, Duration.between(now, window.start().plus(length)).toSeconds());
    }

    void recordRefusal(String address) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> !now.isBefore(w.start().plus(length)));
        }
        windows.compute(address, (key, window) -> window == null || !now.isBefore(window.start().plus(length))
                ? new Window(now, 1)
                : new Window(window.start(), window.count() + 1));
    }
}
