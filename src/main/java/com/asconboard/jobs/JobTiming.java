package com.asconboard.jobs;

import java.time.Duration;

/**
 * How often idle workers look for jobs other instances queued, how often a running job's lease is renewed,
 * and after how many missed renewals another instance takes the job over (the lease: heartbeat × missed).
 * The defaults suit production; tests and benchmarks shorten them with system properties
 * ({@code asconboard.jobs.poll}, {@code asconboard.jobs.heartbeat}, ISO-8601 durations).
 */
public record JobTiming(Duration poll, Duration heartbeat, int missedHeartbeats, int threads) {
    public static final JobTiming DEFAULT = new JobTiming(Duration.ofSeconds(1), Duration.ofSeconds(5), 4, 4);

    /** The lease of a running job: how long after its instance's last heartbeat another instance takes it over. */
    public Duration lease() {
        return heartbeat.multipliedBy(missedHeartbeats);
    }

    public static JobTiming fromSystemProperties() {
        return new JobTiming(duration("asconboard.jobs.poll", DEFAULT.poll()),
                duration("asconboard.jobs.heartbeat", DEFAULT.heartbeat()), DEFAULT.missedHeartbeats(),
                DEFAULT.threads());
    }

    private static Duration duration(String property, Duration fallback) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? fallback : Duration.parse(value.strip());
    }
}
