package com.asconboard.web;

import com.asconboard.ticket.Foreground;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the HTTP requests being answered, so that background work can give way to them: it waits
 * until none has been in flight for {@code quiet}, but never longer than {@code maxWait} per step.
 */
public final class RequestActivity implements Foreground {
    /** Long enough to span the gap between one ack and a client's next request. */
    public static final Duration QUIET = Duration.ofMillis(1);
    /** Bounds how long one background step gives way, so the background keeps moving under load. */
    public static final Duration MAX_WAIT = Duration.ofMillis(100);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private final long quietNanos;
    private final long maxWaitNanos;
    private volatile long lastEnd = System.nanoTime() - Long.MAX_VALUE / 4;

    public RequestActivity() {
        this(QUIET, MAX_WAIT);
    }

    RequestActivity(Duration quiet, Duration maxWait) {
        this.quietNanos = quiet.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** The servlet filter that counts requests; it sits in front of every servlet. */
    Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                begin();
                try {
                    chain.doFilter(request, response);
                } finally {
                    end();
                }
            }
        };
    }

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        lastEnd = System.nanoTime();
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void awaitQuiet() {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                return;
            }
            if (inFlight.get() == 0) {
                long quietFor = now - lastEnd;
                if (quietFor >= quietNanos) {
                    return;
                }
                LockSupport.parkNanos(Math.min(quietNanos - quietFor, left));
            } else {
                synchronized (idle) {
                    if (inFlight.get() > 0) {
                        try {
                            idle.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
