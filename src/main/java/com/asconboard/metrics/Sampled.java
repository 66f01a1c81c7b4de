package com.asconboard.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A value read from a query, kept for a while: one scrape reads several gauges from the same query, and many
 * scrapers (one per Prometheus replica) must not each cost the database a round trip.
 */
final class Sampled<T> {
    private final Supplier<T> query;
    private final Clock clock;
    private final Duration freshFor;
    private T value;
    private Instant readAt;

    Sampled(Supplier<T> query, Clock clock, Duration freshFor) {
        this.query = query;
        this.clock = clock;
        this.freshFor = freshFor;
    }

    /** {@code metric} of the value, or NaN ("no data") when the query fails, e.g. while the database is down. */
    synchronized double read(ToDoubleFunction<T> metric) {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(freshFor))) {
            try {
                value = query.get();
            } catch (RuntimeException e) {
                value = null;
            }
            readAt = now;
        }
        return value == null ? Double.NaN : metric.applyAsDouble(value);
    }
}
