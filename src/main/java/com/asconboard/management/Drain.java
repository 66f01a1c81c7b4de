package com.asconboard.management;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM sets off, in order: not ready at once; keep serving for {@code DRAIN_DELAY}, long enough for the
 * load balancer's health checks to notice and send nothing new; then stop (stop accepting, let requests in
 * flight finish, finish or release claimed work, close).
 */
public final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    /** Waits out the delay; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Readiness readiness;
    private final Duration delay;
    private final Sleeper sleeper;

    public Drain(Readiness readiness, Duration delay) {
        this(readiness, delay, d -> Thread.sleep(d.toMillis()));
    }

    public Drain(Readiness readiness, Duration delay, Sleeper sleeper) {
        this.readiness = readiness;
        this.delay = delay;
        this.sleeper = sleeper;
    }

    /** Runs the sequence; {@code stop} is the instance's own shutdown, called once the delay has passed. */
    public void run(Runnable stop) {
        readiness.startDraining();
        log.info("draining: reporting not ready, still serving for {}", delay);
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            // Asked to hurry: stop now rather than not at all.
            Thread.currentThread().interrupt();
        }
        stop.run();
    }
}
