package com.asconboard.ticket;

import java.time.Instant;
import java.util.Optional;

/**
 * Messages waiting to be shown in Slack, kept in the database until delivered, in order per ticket. Any
 * instance may deliver them: each claims the oldest due message of a ticket that no one else is delivering.
 */
public interface Outbox {
    /**
     * What to show: the status message (posted, or brought up to date), a thread event, a direct message, an
     * ephemeral message in the ticket's channel, or the upload link (sealed until it is shown).
     */
    enum Kind { STATUS, EVENT, PRIVATE, EPHEMERAL, LINK }

    /** One waiting message. For EVENT: actor, event kind and detail; for the others: the user and the text. */
    record Entry(long id, long ticketId, Kind kind, String actor, String eventKind, String detail, byte[] sealed,
            int attempts, Instant createdAt) {
    }

    void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at);

    /** Adds a message whose content is a secret, sealed by the caller. */
    void addSealed(long ticketId, Kind kind, String actor, String detail, byte[] sealed, Instant at);

    /**
     * Inside a transaction: locks and returns the oldest message, due by the database's clock, of some ticket
     * whose earlier messages are all delivered and which no other transaction is delivering (those are
     * skipped, not waited for).
     */
    Optional<Entry> claimDue();

    /** Whether a newer status update of the ticket waits behind {@code entryId}, making this one pointless. */
    boolean laterStatusWaits(long ticketId, long entryId);

    void delivered(long id);

    void retryLater(long id, Instant next, String error);

    /** Messages still waiting. */
    int pending();

    /** When the oldest waiting message was queued, or null when none waits. */
    Instant oldestQueuedAt();

    /** When the next waiting message is due, or null when none waits. */
    Instant nextDue();
}
