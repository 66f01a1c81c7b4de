package com.asconboard.slack;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the slow part of a Slack request after the ack; a failure is logged and shown to the user. */
final class Background {
    private static final Logger log = LoggerFactory.getLogger(Background.class);

    /** How many tasks may wait behind those running for their tickets, like the executor's queue. */
    static final int WAITING_IN_LANES = 1_000;
    /** How long a request waits for room when that many wait; well within Slack's 3 seconds. */
    static final Duration WAIT_FOR_ROOM = Duration.ofSeconds(1);

    private final ExecutorService executor;
    private final TicketLanes lanes;
    private final SlackNotifier notifier;

    Background(ExecutorService executor, SlackNotifier notifier) {
        this.executor = executor;
        this.lanes = new TicketLanes(executor, WAITING_IN_LANES, WAIT_FOR_ROOM);
        this.notifier = notifier;
    }

    /** Runs {@code work}; if it throws, tells {@code userId} in {@code channelId} what went wrong. */
    void run(String what, String channelId, String userId, Runnable work) {
        try {
            executor.execute(guarded(what, channelId, userId, work));
        } catch (RejectedExecutionException e) {
            log.warn("{} refused: the bot is overloaded or shutting down", what);
        }
    }

    /** Like {@link #run}, after the work already handed over for the same ticket, so changes keep their order. */
    void run(String what, long ticketId, String channelId, String userId, Runnable work) {
        try {
            lanes.execute(ticketId, guarded(what, channelId, userId, work));
        } catch (RejectedExecutionException e) {
            log.warn("{} refused: {}", what, e.getMessage());
        }
    }

    private Runnable guarded(String what, String channelId, String userId, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failed(what, channelId, userId, e);
            }
        };
    }

    /** Logs that {@code what} failed and tells {@code userId} why. */
    void failed(String what, String channelId, String userId, RuntimeException e) {
        log.warn("{} failed: {}", what, e.getMessage());
        tell(channelId, userId, "Sorry, I could not " + what + ": " + e.getMessage());
    }

    void tell(String channelId, String userId, String text) {
        if (channelId == null || userId == null) {
            return;
        }
        try {
            notifier.ephemeral(channelId, userId, Mrkdwn.escape(text));
        } catch (RuntimeException e) {
            log.warn("could not tell {} in {}: {}", userId, channelId, e.getMessage());
        }
    }
}
