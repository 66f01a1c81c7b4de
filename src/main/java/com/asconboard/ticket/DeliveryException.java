package com.asconboard.ticket;

import java.time.Duration;

/** A message could not be delivered. Retryable failures (rate limits, outages) are tried again later. */
public class DeliveryException extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    public DeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the other side asked us to wait, or null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
