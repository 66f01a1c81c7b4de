package com.asconboard.slack;

import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Opening;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the tickets that forms hand over after the ack, many to a transaction. Every commit writes to
 * the database file and keeps its bookkeeping in memory for a while, so a burst of forms opened one by
 * one would cost hundreds of writes; here, what arrives while a batch is saved (or while the work gives
 * way to requests) goes into the next one. Tickets are opened in the order they were handed over.
 */
final class TicketOpenings {
    private static final Logger log = LoggerFactory.getLogger(TicketOpenings.class);

    /** How many may wait, like the executor's queue. */
    static final int WAITING = 1_000;
    /** Tickets to a transaction at most: a batch stays a small, quick commit. */
    static final int MAX_BATCH = 32;

    private final OnboardingService onboarding;
    private final Executor executor;
    private final BiConsumer<Opening, RuntimeException> failed;
    private final BlockingQueue<Opening> waiting;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * {@code failed} hears of each opening that could not be saved; at most {@code capacity} wait, and
     * past that the caller opens its ticket itself, as the executor does when its queue is full.
     */
    TicketOpenings(OnboardingService onboarding, Executor executor, int capacity,
            BiConsumer<Opening, RuntimeException> failed) {
        this.onboarding = onboarding;
        this.executor = executor;
        this.failed = failed;
        this.waiting = new ArrayBlockingQueue<>(capacity);
    }

    /** Opens the ticket soon, with whatever else is waiting. */
    void open(Opening opening) {
        if (!waiting.offer(opening)) {
            save(List.of(opening));
            return;
        }
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::openWaiting);
        } catch (RejectedExecutionException e) {
            // Shutting down: what waits is opened on this thread, as the executor finishes what it had queued.
            try {
                List<Opening> batch = new ArrayList<>(MAX_BATCH);
                while (waiting.drainTo(batch, MAX_BATCH) > 0) {
                    save(batch);
                    batch = new ArrayList<>(MAX_BATCH);
                }
            } finally {
                scheduled.set(false);
            }
        }
    }

    /** One batch per task, so the executor's pause for requests comes between batches too. */
    private void openWaiting() {
        try {
            List<Opening> batch = new ArrayList<>(MAX_BATCH);
            waiting.drainTo(batch, MAX_BATCH);
            save(batch);
        } finally {
            scheduled.set(false);
            if (!waiting.isEmpty()) {
                schedule();
            }
        }
    }

    /** If the batch fails, each is tried alone, so one bad opening costs no one else their ticket. */
    private void save(List<Opening> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            onboarding.openAll(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                failed.accept(batch.get(0), e);
                return;
            }
            log.warn("opening {} tickets together failed ({}); opening them one by one", batch.size(), e.getMessage());
            for (Opening opening : batch) {
                save(List.of(opening));
            }
        }
    }
}
