package com.asconboard.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine's clock, set to the database's: leases, heartbeats and due times written by several
 * instances are compared on one time line, whatever each machine's own clock says. The offset is measured
 * at start and again every minute, outside any transaction.
 */
public final class DatabaseClock extends Clock {
    private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);
    static final Duration REMEASURE = Duration.ofMinutes(1);

    private final Database database;
    private volatile long offsetMillis;
    private volatile long measuredAt;

    public DatabaseClock(Database database) {
        this.database = database;
        measure();
    }

    private void measure() {
        long before = System.currentTimeMillis();
        Instant there = database.now();
        long after = System.currentTimeMillis();
        offsetMillis = there.toEpochMilli() - (before + after) / 2;
        measuredAt = after;
        if (Math.abs(offsetMillis) > 2_000) {
            log.warn("this machine's clock is {} ms off the database's; leases follow the database", -offsetMillis);
        }
    }

    @Override
    public Instant instant() {
        long now = System.currentTimeMillis();
        if (now - measuredAt > REMEASURE.toMillis()) {
            measuredAt = now;
            try {
                measure();
            } catch (RuntimeException e) {
                log.debug("could not measure the database's clock: {}", e.toString());
            }
        }
        return Instant.ofEpochMilli(now + offsetMillis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the database clock is UTC");
    }
}
