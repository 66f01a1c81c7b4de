package com.asconboard.slack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work on an executor, one task at a time per ticket and in the order it was handed over: two
 * quick edits of one ticket are saved in the order Slack acked them, however the executor's threads are
 * scheduled. Work for different tickets runs side by side.
 *
 * <p>Bounded like the executor: a ticket's lane exists only while one of its tasks is queued on or running
 * in the executor, and at most {@code maxWaiting} tasks wait behind those, over all tickets. When that
 * many wait, the caller waits for room, up to {@code maxBlock}: an overload slows answers down rather than
 * dropping what was asked for, as the executor's own caller-runs policy does.
 */
final class TicketLanes {
    private static final Logger log = LoggerFactory.getLogger(TicketLanes.class);

    private final Executor executor;
    private final int maxWaiting;
    private final long maxBlockNanos;
    /** Lanes with a task queued or running; the deque holds the tasks waiting behind it. Guards itself. */
    private final Map<Long, ArrayDeque<Runnable>> lanes = new HashMap<>();
    /** Tasks in all the lanes' deques; guarded by {@code lanes}. */
    private int waiting;

    TicketLanes(Executor executor, int maxWaiting, Duration maxBlock) {
        this.executor = executor;
        this.maxWaiting = maxWaiting;
        this.maxBlockNanos = maxBlock.toNanos();
    }

    /**
     * Runs {@code task} after the tasks already handed over for {@code ticketId}.
     *
     * @throws RejectedExecutionException if the executor refuses it, or if the lanes stay full for the
     *     longest a caller may wait
     */
    void execute(long ticketId, Runnable task) {
        synchronized (lanes) {
            ArrayDeque<Runnable> lane = lanes.get(ticketId);
            if (lane != null && waiting >= maxWaiting) {
                awaitRoom();
                lane = lanes.get(ticketId);
            }
            if (lane != null) {
                lane.add(task);
                waiting++;
                return;
            }
            lanes.put(ticketId, new ArrayDeque<>());
        }
        try {
            executor.execute(() -> drain(ticketId, task));
        } catch (RejectedExecutionException e) {
            int dropped;
            synchronized (lanes) {
                dropped = lanes.remove(ticketId).size();
                waiting -= dropped;
                lanes.notifyAll();
            }
            if (dropped > 0) {
                throw new RejectedExecutionException("the executor refused this ticket's work; "
                        + dropped + " more waiting tasks were dropped with it", e);
            }
            throw e;
        }
    }

    /** Waits, holding no lock while it does, until a task may wait in a lane; called holding {@code lanes}. */
    private void awaitRoom() {
        long deadline = System.nanoTime() + maxBlockNanos;
        try {
            while (waiting >= maxWaiting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RejectedExecutionException("the tickets' lanes are full (" + waiting + " waiting tasks)");
                }
                TimeUnit.NANOSECONDS.timedWait(lanes, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room in the tickets' lanes");
        }
    }

    /** Tickets with work queued or running. */
    int busy() {
        synchronized (lanes) {
            return lanes.size();
        }
    }

    private void drain(long ticketId, Runnable first) {
        Runnable next = first;
        while (next != null) {
            boolean finished = false;
            try {
                next.run();
                finished = true;
            } catch (RuntimeException e) {
                log.warn("work for a ticket failed: {}", e.getMessage());
                finished = true;
            } finally {
                next = following(ticketId);
                if (!finished && next != null) {
                    // An Error ends this thread's loop; the tasks behind it still run, in order.
                    Runnable rest = next;
                    executor.execute(() -> drain(ticketId, rest));
                }
            }
        }
    }

    private Runnable following(long ticketId) {
        synchronized (lanes) {
            Runnable next = lanes.get(ticketId).poll();
            if (next == null) {
                lanes.remove(ticketId);
            } else if (waiting-- == maxWaiting) {
                lanes.notifyAll();
            }
            return next;
        }
    }
}
