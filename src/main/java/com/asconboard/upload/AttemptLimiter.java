package com.asconboard.upload;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Slows down a client address whose uploads keep being refused: past {@code limit} refusals in a
 * window of {@code length}, its uploads are refused (429) until the window ends. Uploads through a live
 * link are never held back by it: a link has its own limit of wrong files, kept in the database, so junk
 * sent to unknown tokens from an address (many clients can share one, behind a NAT or a proxy) never
 * locks out a customer who holds a valid link.
 * <p>At most {@link #MAX_TRACKED} addresses are tracked; beyond that the least useful are forgotten,
 * at a constant cost per refusal (no scan of the whole map).
 */
final class AttemptLimiter {
    static final int MAX_TRACKED = 10_000;

    private record Window(Instant start, int count) {
    }

    private final Cache<String, Window> windows;
    private final Clock clock;
    private final int limit;
    private final Duration length;
    private final Predicate<String> isLiveLink;

    /** {@code isLiveLink} says whether a token names a link that can still take an upload. */
    AttemptLimiter(Clock clock, int limit, Duration length, Predicate<String> isLiveLink) {
        this.clock = clock;
        this.limit = limit;
        this.length = length;
        this.isLiveLink = isLiveLink;
        // Expiry only tidies up; whether a window has ended is decided on the injected clock below.
        this.windows = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(length).build();
    }

    /** Seconds until an upload from {@code address} to {@code token} may be tried, or 0 when it may now. */
    long retryAfterSeconds(String address, String token) {
        Window window = windows.getIfPresent(address);
        Instant now = clock.instant();
        if (window == null || !now.isBefore(end(window)) || window.count() < limit) {
            return 0;
        }
        // Looked up only for an address over its limit: the cost of junk stays with the address sending it.
        if (isLiveLink.test(token)) {
            return 0;
        }
        return Math.max(1, Duration.between(now, end(window)).toSeconds());
    }

    void recordRefusal(String address) {
        Instant now = clock.instant();
        windows.asMap().compute(address, (key, window) -> window == null || !now.isBefore(end(window))
                ? new Window(now, 1)
                : new Window(window.start(), window.count() + 1));
    }

    /** Addresses tracked now; for tests of the bound. */
    long tracked() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    private Instant end(Window window) {
        return window.start().plus(length);
    }
}
