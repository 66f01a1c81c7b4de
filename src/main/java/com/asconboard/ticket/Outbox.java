package com.asconboard.ticket;

import java.time.Instant;
import java.util.List;

/** Messages waiting to be shown, kept in the database until delivered. */
public interface Outbox {
    /** What to show: the status message (posted or brought up to date), a thread event, a private note. */
    enum Kind { STATUS, EVENT, PRIVATE }

    /** One waiting message. For EVENT: actor, event kind and detail; for PRIVATE: the user and the text. */
    record Entry(long id, long ticketId, Kind kind, String actor, String eventKind, String detail, int attempts,
            Instant createdAt) {
    }

    void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at);

    /** The oldest waiting entry of each ticket whose next attempt is due, oldest tickets first. */
    List<Entry> dueHeads(Instant now, int limit);

    /** Every waiting entry of one ticket, oldest first. */
    List<Entry> queueOf(long ticketId);

    void delivered(long id);

    void retryLater(long id, Instant next, String error);

    /** Entries still waiting, for tests and health. */
    int pending();

    /** When the next waiting entry is due, or null when none waits. */
    Instant nextDue();
}
