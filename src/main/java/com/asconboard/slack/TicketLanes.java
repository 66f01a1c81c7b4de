package com.asconboard.slack;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work on an executor, one task at a time per ticket and in the order it was handed over: two
 * quick edits of one ticket are saved in the order Slack acked them, however the executor's threads are
 * scheduled. Work for different tickets runs side by side.
 *
 * <p>Bounded like the executor: a ticket's lane exists only while one of its tasks is queued on or running
 * in the executor, and holds at most {@code perTicket} waiting tasks.
 */
final class TicketLanes {
    private static final Logger log = LoggerFactory.getLogger(TicketLanes.class);

    private final Executor executor;
    private final int perTicket;
    /** Lanes with a task queued or running; the deque holds the tasks waiting behind it. */
    private final Map<Long, ArrayDeque<Runnable>> lanes = new HashMap<>();

    TicketLanes(Executor executor, int perTicket) {
        this.executor = executor;
        this.perTicket = perTicket;
    }

    /**
     * Runs {@code task} after the tasks already handed over for {@code ticketId}.
     *
     * @throws RejectedExecutionException if the executor refuses it or too many tasks wait for this ticket
     */
    void execute(long ticketId, Runnable task) {
        synchronized (lanes) {
            ArrayDeque<Runnable> waiting = lanes.get(ticketId);
            if (waiting != null) {
                if (waiting.size() >= perTicket) {
                    throw new RejectedExecutionException(perTicket + " tasks already wait for this ticket");
                }
                waiting.add(task);
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
            }
            if (dropped > 0) {
                throw new RejectedExecutionException("the executor refused this ticket's work; "
                        + dropped + " more waiting tasks were dropped with it", e);
            }
            throw e;
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
            }
            return next;
        }
    }
}
