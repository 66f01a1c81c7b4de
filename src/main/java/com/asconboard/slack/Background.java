package com.asconboard.slack;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack calls that answer a request but change nothing — opening a form, a polite refusal — made after the
 * ack. Lost with the process at worst, and then the user simply clicks again: nothing they asked for is
 * kept here. Everything that changes a ticket is committed before the ack instead.
 */
final class Background {
    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final ExecutorService executor;
    private final SlackNotifier notifier;

    Background(ExecutorService executor, SlackNotifier notifier) {
        this.executor = executor;
        this.notifier = notifier;
    }

    /** Runs {@code work}; if it throws, tells {@code userId} in {@code channelId} what went wrong. */
    void run(String what, String channelId, String userId, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("{} failed: {}", what, e.getMessage());
                    tell(channelId, userId, Mrkdwn.escape("Sorry, I could not " + what + ": " + e.getMessage()));
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("{} refused: the bot is shutting down", what);
        }
    }

    /** Tells one user, visible only to them, after the ack; {@code text} is plain (it is escaped). */
    void tellLater(String channelId, String userId, String text) {
        tellLaterMrkdwn(channelId, userId, Mrkdwn.escape(text));
    }

    /** As {@link #tellLater}, for a text already in Slack's markup (e.g. with mentions). */
    void tellLaterMrkdwn(String channelId, String userId, String mrkdwn) {
        run("answer", channelId, userId, () -> tell(channelId, userId, mrkdwn));
    }

    private void tell(String channelId, String userId, String mrkdwn) {
        if (channelId == null || userId == null) {
            return;
        }
        try {
            notifier.ephemeral(channelId, userId, mrkdwn);
        } catch (RuntimeException e) {
            log.warn("could not tell {} in {}: {}", userId, channelId, e.getMessage());
        }
    }
}
