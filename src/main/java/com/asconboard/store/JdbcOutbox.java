package com.asconboard.store;

import com.asconboard.ticket.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The Slack outbox in the relational store. */
public final class JdbcOutbox implements Outbox {
    private static final String ENTRY_COLUMNS =
            "o.id, o.ticket_id, o.kind, o.actor, o.event_kind, o.detail, o.attempts, o.created_at";

    private final Jdbc jdbc;

    public JdbcOutbox(Database database) {
        this.jdbc = database.jdbc();
    }

    /** {@code at} is when the event happened; delivery is due at once, by the wall clock. */
    @Override
    public void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at) {
        jdbc.insert("INSERT INTO slack_outbox (ticket_id, kind, actor, event_kind, detail, created_at, next_attempt_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", ticketId, kind.name(), actor, eventKind, detail, at, Instant.now());
    }

    @Override
    public List<Entry> dueHeads(Instant now, int limit) {
        return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM slack_outbox o WHERE o.next_attempt_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM slack_outbox p WHERE p.ticket_id = o.ticket_id AND p.id < o.id) "
                + "ORDER BY o.id LIMIT ?", JdbcOutbox::entry, now, limit);
    }

    @Override
    public List<Entry> queueOf(long ticketId) {
        return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM slack_outbox o WHERE o.ticket_id = ? ORDER BY o.id",
                JdbcOutbox::entry, ticketId);
    }

    private static Entry entry(ResultSet row) throws SQLException {
        return new Entry(row.getLong(1), row.getLong(2), Kind.valueOf(row.getString(3)), row.getString(4),
                row.getString(5), row.getString(6), row.getInt(7), Jdbc.instant(row, 8));
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
    public Instant nextDue() {
        return jdbc.queryOne("SELECT MIN(next_attempt_at) AS next_at FROM slack_outbox",
                row -> Jdbc.instant(row, "next_at")).orElse(null);
    }
}
