package com.asconboard.web;

import com.asconboard.ticket.Foreground;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the HTTP requests being answered, so that background work can give way to them: it waits
 * until none has been in flight for {@code quiet}, but never longer than {@code maxWait} per step. One
 * waiting thread polls every {@code quiet} rather than being woken, so that ending a request costs its
 * thread nothing but two writes; the other waiting threads sleep until the poller sees quiet.
 */
public final class RequestActivity implements Foreground {
    /** Long enough to span the gap between one ack and a client's next request. */
    public static final Duration QUIET = Duration.ofMillis(1);
    /** Bounds how long one background step gives way, so the background keeps moving under load. */
    public static final Duration MAX_WAIT = Duration.ofMillis(100);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final long quietNanos;
    private final long maxWaitNanos;
    private volatile long lastEnd = System.nanoTime() - Long.MAX_VALUE / 4;
    private final AtomicLong polls = new AtomicLong();
    private final Object pollerSignal = new Object();
    /** Whether a waiting thread is polling; guarded by {@code pollerSignal}. */
    private boolean polling;

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

    /** Two writes and no wake-ups: whoever waits looks again shortly, so a request's own thread does no more. */
    void end() {
        lastEnd = System.nanoTime();
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Times a waiting thread looked for quiet; tests read it to see that waiters share one poller. */
    long polls() {
        return polls.get();
    }

    /**
     * One waiting thread at a time polls; the others sleep until it sees quiet or stops (its own wait
     * ran out), so that many waiting threads cost one wake-up per {@code quiet}, not one each.
     */
    @Override
    public void awaitQuiet() {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (isQuiet(now) || deadline - now <= 0) {
                return;
            }
            synchronized (pollerSignal) {
                if (polling) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(pollerSignal, deadline - now);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    continue;
                }
                polling = true;
            }
            try {
                poll(deadline);
            } finally {
                synchronized (pollerSignal) {
                    polling = false;
                    pollerSignal.notifyAll();
                }
            }
        }
    }

    /** Looks again every {@code quiet} until it is quiet, the deadline passes or the thread is interrupted. */
    private void poll(long deadline) {
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            long left = deadline - now;
            if (isQuiet(now) || left <= 0) {
                return;
            }
            polls.incrementAndGet();
            long quietFor = now - lastEnd;
            // Busy: look again after the quiet period (or what is left of it).
            LockSupport.parkNanos(Math.min(inFlight.get() == 0 ? quietNanos - quietFor : quietNanos, left));
        }
    }

    private boolean isQuiet(long now) {
        return inFlight.get() == 0 && now - lastEnd >= quietNanos;
    }
}
