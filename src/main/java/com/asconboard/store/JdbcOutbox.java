package com.asconboard.store;

import com.asconboard.ticket.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The Slack outbox in the relational store. */
public final class JdbcOutbox implements Outbox {
    private static final String ENTRY_COLUMNS =
            "o.id, o.ticket_id, o.kind, o.actor, o.event_kind, o.detail, o.sealed, o.attempts, o.created_at";

    private final Jdbc jdbc;

    public JdbcOutbox(Database database) {
        this.jdbc = database.jdbc();
    }

    /**
     * {@code at} is when the event happened; delivery is due at once by the database's clock, which every
     * instance's delivery compares against.
     */
    @Override
    public void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at) {
        jdbc.update("INSERT INTO slack_outbox (ticket_id, kind, actor, event_kind, detail, created_at, next_attempt_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", ticketId, kind.name(), actor, eventKind, detail, at);
    }

    @Override
    public void addSealed(long ticketId, Kind kind, String actor, String detail, byte[] sealed, Instant at) {
        jdbc.update("INSERT INTO slack_outbox (ticket_id, kind, actor, detail, sealed, created_at, next_attempt_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", ticketId, kind.name(), actor, detail, sealed, at);
    }

    /**
     * A ticket's head is its oldest waiting message; only heads are claimed, and a head another transaction
     * holds is skipped, not waited for — so its ticket's later messages wait until it is delivered. The due
     * heads are listed first, then locked one by one ({@code FOR UPDATE SKIP LOCKED} on its id) until one is
     * free: H2 applies a {@code LIMIT} before skipping locked rows, so one statement would find nothing while
     * the oldest head is being delivered. A listed head stays a head (no older message can appear); one
     * delivered meanwhile is simply gone.
     */
    @Override
    public Optional<Entry> claimDue() {
        List<Long> heads = jdbc.query("SELECT o.id FROM slack_outbox o WHERE o.next_attempt_at <= CURRENT_TIMESTAMP "
                + "AND NOT EXISTS (SELECT 1 FROM slack_outbox p WHERE p.ticket_id = o.ticket_id AND p.id < o.id) "
                + "ORDER BY o.id LIMIT " + CANDIDATES, row -> row.getLong(1));
        for (long id : heads) {
            Optional<Entry> claimed = jdbc.queryOne("SELECT " + ENTRY_COLUMNS + " FROM slack_outbox o WHERE o.id = ? "
                    + "FOR UPDATE SKIP LOCKED", JdbcOutbox::entry, id);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /** Heads looked at per claim: more than the workers that may hold one each at a time. */
    private static final int CANDIDATES = 16;

    @Override
    public boolean laterStatusWaits(long ticketId, long entryId) {
        return jdbc.queryOne("SELECT 1 FROM slack_outbox WHERE ticket_id = ? AND id > ? AND kind = ? LIMIT 1",
                row -> true, ticketId, entryId, Kind.STATUS.name()).isPresent();
    }

    private static Entry entry(ResultSet row) throws SQLException {
        return new Entry(row.getLong(1), row.getLong(2), Kind.valueOf(row.getString(3)), row.getString(4),
                row.getString(5), row.getString(6), row.getBytes(7), row.getInt(8), Jdbc.instant(row, 9));
    }

    @Override
    public void delivered(long id) {
        jdbc.update("DELETE FROM slack_outbox WHERE id = ?", id);
    }

    @Override
    public void retryLater(long id, Instant next, String error) {
        jdbc.update("UPDATE slack_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                next, error == null ? null : error.length() > 400 ? error.substring(0, 399) : error, id);
    }

    @Override
    public int pending() {
        return jdbc.queryOne("SELECT COUNT(*) FROM slack_outbox", row -> row.getInt(1)).orElse(0);
    }

    @Override
    public Instant oldestQueuedAt() {
        return jdbc.queryOne("SELECT MIN(created_at) AS oldest FROM slack_outbox", row -> Jdbc.instant(row, "oldest"))
                .orElse(null);
    }

    @Override
    public Instant nextDue() {
        return jdbc.queryOne("SELECT MIN(next_attempt_at) AS next_at FROM slack_outbox",
                row -> Jdbc.instant(row, "next_at")).orElse(null);
    }
}
