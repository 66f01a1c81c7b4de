package com.asconboard.ticket;

import java.time.Instant;

/** An upload link sent to the customer and not used yet: the customer is expected to upload through it. */
public record PendingLink(long id, Instant createdAt, Instant expiresAt) {
}
