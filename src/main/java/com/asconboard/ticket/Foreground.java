package com.asconboard.ticket;

/**
 * Requests someone is waiting for, above all Slack's, which must be acknowledged within 3 seconds.
 * Background work (delivering messages, App Store Connect calls) asks it before each step
 * and gives way while requests are being answered, so that it never slows an ack down; the wait is
 * bounded, so under sustained load the background still moves.
 */
@FunctionalInterface
public interface Foreground {
    /** Returns once no request has been in flight for a moment, or after a bounded wait at most. */
    void awaitQuiet();
}
