package com.asconboard.store;

import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.PendingLink;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketRepository;
import com.asconboard.ticket.VendorCertificate;
import com.asconboard.ticket.Verification;
import com.asconboard.asc.VerificationReport;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tickets and their audit trail in the relational store. */
public final class JdbcTicketRepository implements TicketRepository {
    private static final String COLUMNS = "t.id, t.workspace_id, t.channel_id, t.message_ts, t.customer, "
            + "t.team_name, t.team_id, t.issuer_id, t.key_id, t.lifecycle, t.created_by, t.created_at, t.updated_at, "
            + "t.closed_by, t.closed_at, t.key_received_at, t.verification_state, t.verification_report, "
            + "t.access_confirmed_by, t.certificate_problem, t.watched_at, t.watch_result, c.id AS cert_id, "
            + "c.asc_id AS cert_asc_id, c.serial AS cert_serial, c.name AS cert_name, c.expires_at AS cert_expires_at, "
            + "c.status AS cert_status, t.details_version, t.certificate_state, t.owner, t.activated_at";
    /** Onboarding or active. */
    private static final String OPEN = "t.lifecycle IN ('" + Lifecycle.ONBOARDING.name() + "', '"
            + Lifecycle.ACTIVE.name() + "')";
    /** Tickets with their current vendor certificate, if any. */
    static final String FROM = " FROM tickets t LEFT JOIN vendor_certificates c ON c.id = t.certificate_id";

    /** Channels asked about in one statement when listing a member's tickets. */
    private static final int CHANNEL_CHUNK = 200;

    private final Jdbc jdbc;

    public JdbcTicketRepository(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public Ticket create(String workspaceId, String channelId, String createdBy, TicketDetails d, Instant at) {
        long id = jdbc.insert("INSERT INTO tickets (workspace_id, channel_id, customer, team_name, team_id, issuer_id, "
                        + "key_id, lifecycle, created_by, created_at, updated_at, owner, changed_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                workspaceId, channelId, d.customer(), d.teamName(), d.teamId(), d.issuerId(), d.keyId(),
                Lifecycle.ONBOARDING.name(), createdBy, at, at, createdBy, at);
        return find(id).orElseThrow(() -> new StoreException("ticket " + id + " vanished after insert", null));
    }

    @Override
    public Optional<Ticket> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + FROM + " WHERE t.id = ?", JdbcTicketRepository::ticket, id);
    }

    @Override
    public Optional<Ticket> lock(long id) {
        // The row lock alone (no join: not every database locks joined rows); the ticket is then read whole.
        List<Long> locked = jdbc.query("SELECT id FROM tickets WHERE id = ? FOR UPDATE", row -> row.getLong(1), id);
        return locked.isEmpty() ? Optional.empty() : find(id);
    }

    @Override
    public List<Ticket> findOpen(String workspaceId, String channelId, int limit) {
        if (channelId == null) {
            return jdbc.query("SELECT " + COLUMNS + FROM + " WHERE t.workspace_id = ? AND " + OPEN
                    + " ORDER BY t.id DESC LIMIT ?", JdbcTicketRepository::ticket, workspaceId, limit);
        }
        return jdbc.query("SELECT " + COLUMNS + FROM + " WHERE t.workspace_id = ? AND t.channel_id = ? AND " + OPEN
                + " ORDER BY t.id DESC LIMIT ?", JdbcTicketRepository::ticket, workspaceId, channelId, limit);
    }

    @Override
    public List<Ticket> findOpenIn(String workspaceId, Set<String> channelIds) {
        if (channelIds == null) {
            return jdbc.query("SELECT " + COLUMNS + FROM + " WHERE t.workspace_id = ? AND " + OPEN
                    + " ORDER BY t.id DESC", JdbcTicketRepository::ticket, workspaceId);
        }
        List<Ticket> found = new ArrayList<>();
        List<String> channels = new ArrayList<>(channelIds);
        // A member of many channels: asked in chunks, each a short IN list.
        for (int from = 0; from < channels.size(); from += CHANNEL_CHUNK) {
            List<String> chunk = channels.subList(from, Math.min(channels.size(), from + CHANNEL_CHUNK));
            List<Object> params = new ArrayList<>();
            params.add(workspaceId);
            params.addAll(chunk);
            found.addAll(jdbc.query("SELECT " + COLUMNS + FROM + " WHERE t.workspace_id = ? AND t.channel_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") AND " + OPEN,
                    JdbcTicketRepository::ticket, params.toArray()));
        }
        found.sort(Comparator.comparingLong(Ticket::id).reversed());
        return found;
    }

    @Override
    public int countOpen(String workspaceId, String channelId) {
        if (channelId == null) {
            return jdbc.queryOne("SELECT COUNT(*) FROM tickets t WHERE t.workspace_id = ? AND " + OPEN,
                    row -> row.getInt(1), workspaceId).orElse(0);
        }
        return jdbc.queryOne("SELECT COUNT(*) FROM tickets t WHERE t.workspace_id = ? AND t.channel_id = ? AND " + OPEN,
                row -> row.getInt(1), workspaceId, channelId).orElse(0);
    }

    @Override
    public void updateDetails(long id, TicketDetails d, Instant at) {
        jdbc.update("UPDATE tickets SET customer = ?, team_name = ?, team_id = ?, issuer_id = ?, key_id = ?, "
                + "updated_at = ?, details_version = details_version + 1 WHERE id = ?", d.customer(), d.teamName(),
                d.teamId(), d.issuerId(), d.keyId(), at, id);
    }

    @Override
    public void setMessageTs(long id, String messageTs) {
        jdbc.update("UPDATE tickets SET message_ts = ? WHERE id = ?", messageTs, id);
    }

    @Override
    public boolean end(long id, Lifecycle from, Lifecycle to, String by, Instant at) {
        return jdbc.update("UPDATE tickets SET lifecycle = ?, closed_by = ?, closed_at = ?, updated_at = ?, changed_at = ? "
                + "WHERE id = ? AND lifecycle = ?", to.name(), by, at, at, at, id, from.name()) == 1;
    }

    @Override
    public boolean activate(long id, Instant at) {
        return jdbc.update("UPDATE tickets SET lifecycle = ?, activated_at = ?, updated_at = ?, changed_at = ? "
                + "WHERE id = ? AND lifecycle = ?", Lifecycle.ACTIVE.name(), at, at, at, id,
                Lifecycle.ONBOARDING.name()) == 1;
    }

    @Override
    public List<Long> onboardingWithReport() {
        return jdbc.query("SELECT id FROM tickets WHERE lifecycle = ? AND verification_report IS NOT NULL ORDER BY id",
                row -> row.getLong(1), Lifecycle.ONBOARDING.name());
    }

    @Override
    public void setOwner(long id, String owner, Instant at) {
        // Counted like a details change: a form opened before it would otherwise put the old owner back.
        jdbc.update("UPDATE tickets SET owner = ?, updated_at = ?, details_version = details_version + 1 WHERE id = ?",
                owner, at, id);
    }

    @Override
    public void touch(long id, Instant at) {
        jdbc.update("UPDATE tickets SET changed_at = ? WHERE id = ?", at, id);
    }

    @Override
    public boolean changedSince(String workspaceId, Instant since) {
        return jdbc.queryOne("SELECT 1 FROM tickets WHERE workspace_id = ? AND changed_at >= ? LIMIT 1",
                row -> true, workspaceId, since).orElse(false);
    }

    @Override
    public Optional<PendingLink> activeLink(long id) {
        return jdbc.queryOne("SELECT id, created_at, expires_at FROM upload_links WHERE ticket_id = ? AND status = 'ACTIVE' "
                + "ORDER BY id DESC LIMIT 1", row -> new PendingLink(row.getLong(1), Jdbc.instant(row, "created_at"),
                        Jdbc.instant(row, "expires_at")), id);
    }

    @Override
    public List<Long> mayAwaitCustomer() {
        return jdbc.query("SELECT t.id FROM tickets t WHERE t.lifecycle = ? OR (" + OPEN + " AND EXISTS (SELECT 1 FROM "
                + "upload_links l WHERE l.ticket_id = t.id AND l.status = 'ACTIVE')) ORDER BY t.id",
                row -> row.getLong(1), Lifecycle.ONBOARDING.name());
    }

    @Override
    public boolean claimReminder(long id, String period, Instant at) {
        return jdbc.update("INSERT INTO ticket_reminders (ticket_id, period, sent_at) SELECT CAST(? AS BIGINT), "
                + "CAST(? AS VARCHAR(120)), CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE NOT EXISTS (SELECT 1 FROM "
                + "ticket_reminders WHERE ticket_id = ? AND period = ?)", id, period, at, id, period) == 1;
    }

    @Override
    public boolean reminded(long id, String period) {
        return jdbc.queryOne("SELECT 1 FROM ticket_reminders WHERE ticket_id = ? AND period = ?", row -> true, id, period)
                .orElse(false);
    }

    @Override
    public boolean currentKeyVerified(long id) {
        return jdbc.queryOne("SELECT 1 FROM tickets t JOIN verifications v ON v.ticket_id = t.id WHERE t.id = ? AND "
                + "t.key_received_at IS NOT NULL AND v.verified = TRUE AND v.finished_at >= t.key_received_at LIMIT 1",
                row -> true, id).orElse(false);
    }

    @Override
    public void append(TicketEvent e) {
        jdbc.insert("INSERT INTO ticket_events (ticket_id, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
                e.ticketId(), e.at(), e.actor(), e.kind().name(), e.detail());
    }

    @Override
    public void markVerifying(long id) {
        jdbc.update("UPDATE tickets SET verification_state = ? WHERE id = ?", Verification.State.RUNNING.name(), id);
    }

    @Override
    public void finishVerification(long id, String startedBy, VerificationReport report, Instant at) {
        String json = ReportCodec.encode(report);
        jdbc.inTransaction("storing a verification", c -> {
            Jdbc.update(c, "UPDATE tickets SET verification_state = ?, verification_report = ?, updated_at = ? "
                    + "WHERE id = ?", Verification.State.DONE.name(), json, at, id);
            Jdbc.update(c, "INSERT INTO verifications (ticket_id, started_by, finished_at, verified, report) "
                    + "VALUES (?, ?, ?, ?, ?)", id, startedBy, at, report.verified(), json);
            return null;
        });
    }

    @Override
    public void recordWatchReport(long id, VerificationReport report, Instant at, boolean keepInHistory) {
        String json = ReportCodec.encode(report);
        jdbc.update("UPDATE tickets SET verification_report = ? WHERE id = ?", json, id);
        if (keepInHistory) {
            jdbc.update("INSERT INTO verifications (ticket_id, started_by, finished_at, verified, report) "
                    + "VALUES (?, ?, ?, ?, ?)", id, "watcher", at, report.verified(), json);
        }
    }

    @Override
    public void setCertificatePending(long id, boolean pending) {
        jdbc.update("UPDATE tickets SET certificate_state = ? WHERE id = ?", pending ? "PENDING" : "NONE", id);
    }

    @Override
    public java.util.Map<String, Long> countByState() {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        jdbc.query("SELECT lifecycle, COUNT(*) FROM tickets GROUP BY lifecycle",
                row -> counts.put(row.getString(1).toLowerCase(java.util.Locale.ROOT), row.getLong(2)));
        return counts;
    }

    @Override
    public List<Long> verifyingWithoutJob() {
        return jdbc.query("SELECT t.id FROM tickets t WHERE t.verification_state = ? AND " + OPEN + " AND NOT EXISTS (SELECT 1 FROM "
                + "scheduled_tasks s WHERE s.task_name = 'verify' AND s.task_instance = CAST(t.id AS VARCHAR(20))) "
                + "ORDER BY t.id", row -> row.getLong(1), Verification.State.RUNNING.name());
    }

    @Override
    public void keyReceived(long id, Instant at, String from, String keyId) {
        jdbc.update("UPDATE tickets SET key_received_at = ?, key_received_from = ?, key_id = COALESCE(key_id, ?), "
                + "updated_at = ? WHERE id = ?", at, from, keyId, at, id);
    }

    @Override
    public void confirmAccess(long id, String userId, Instant at) {
        jdbc.update("UPDATE tickets SET access_confirmed_by = ?, access_confirmed_at = ?, updated_at = ? WHERE id = ?",
                userId, at, at, id);
    }

    @Override
    public List<TicketEvent> events(long ticketId) {
        return jdbc.query("SELECT ticket_id, at, actor, kind, detail FROM ticket_events WHERE ticket_id = ? ORDER BY id",
                row -> new TicketEvent(row.getLong("ticket_id"), Jdbc.instant(row, "at"), row.getString("actor"),
                        TicketEvent.Kind.valueOf(row.getString("kind")), row.getString("detail")), ticketId);
    }

    static Ticket ticket(ResultSet row) throws SQLException {
        return new Ticket(
                row.getLong("id"),
                row.getString("workspace_id"),
                row.getString("channel_id"),
                row.getString("message_ts"),
                new TicketDetails(row.getString("customer"), row.getString("team_name"), row.getString("team_id"),
                        row.getString("issuer_id"), row.getString("key_id")),
                Lifecycle.valueOf(row.getString("lifecycle")),
                row.getString("created_by"),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"),
                row.getString("closed_by"),
                Jdbc.instant(row, "closed_at"),
                Jdbc.instant(row, "key_received_at"),
                new Verification(Verification.State.valueOf(row.getString("verification_state")),
                        ReportCodec.decode(row.getString("verification_report"))),
                row.getString("access_confirmed_by"),
                certificate(row),
                row.getString("certificate_problem"),
                Jdbc.instant(row, "watched_at"),
                row.getString("watch_result"),
                row.getInt("details_version"),
                "PENDING".equals(row.getString("certificate_state")),
                row.getString("owner"),
                Jdbc.instant(row, "activated_at"));
    }

    private static VendorCertificate certificate(ResultSet row) throws SQLException {
        long id = row.getLong("cert_id");
        if (row.wasNull()) {
            return null;
        }
        return new VendorCertificate(id, row.getString("cert_asc_id"), row.getString("cert_serial"),
                row.getString("cert_name"), Jdbc.instant(row, "cert_expires_at"),
                VendorCertificate.Status.valueOf(row.getString("cert_status")));
    }
}
