package com.asconboard.store;

import com.asconboard.certs.CertificateRepository;
import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.VendorCertificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The vendor's certificates in the relational store. */
public final class JdbcCertificateRepository implements CertificateRepository {
    private final Jdbc jdbc;

    public JdbcCertificateRepository(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public long add(long ticketId, Issued c, String createdBy, Instant at) {
        return jdbc.inTransaction("storing a certificate", conn -> {
            long id = jdbc.insert("INSERT INTO vendor_certificates (ticket_id, asc_id, serial, name, expires_at, der, "
                    + "status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ticketId, c.ascId(),
                    c.serial(), c.name(), c.expiresAt(), c.der(), VendorCertificate.Status.ACTIVE.name(), createdBy, at);
            Jdbc.update(conn, "UPDATE vendor_certificates SET status = ? WHERE id = (SELECT certificate_id FROM tickets "
                    + "WHERE id = ?) AND status = ?", VendorCertificate.Status.REPLACED.name(), ticketId,
                    VendorCertificate.Status.ACTIVE.name());
            Jdbc.update(conn, "UPDATE tickets SET certificate_id = ?, certificate_problem = NULL, updated_at = ? "
                    + "WHERE id = ?", id, at, ticketId);
            return id;
        });
    }

    @Override
    public Optional<Stored> current(long ticketId) {
        return jdbc.queryOne("SELECT c.id, c.ticket_id, c.serial, c.expires_at, c.status, c.der FROM tickets t "
                + "JOIN vendor_certificates c ON c.id = t.certificate_id WHERE t.id = ?",
                row -> new Stored(row.getLong(1), row.getLong(2), row.getString(3), Jdbc.instant(row, "expires_at"),
                        row.getString(5), row.getBytes(6)), ticketId);
    }

    @Override
    public void setProblem(long ticketId, String problem) {
        jdbc.update("UPDATE tickets SET certificate_problem = ? WHERE id = ?",
                problem != null && problem.length() > 2000 ? problem.substring(0, 1999) + "…" : problem, ticketId);
    }

    @Override
    public void markRevoked(long certificateId) {
        jdbc.update("UPDATE vendor_certificates SET status = ? WHERE id = ?", VendorCertificate.Status.REVOKED.name(),
                certificateId);
    }

    @Override
    public Set<Integer> alertsSent(long certificateId) {
        return parse(jdbc.queryOne("SELECT alerts_sent FROM vendor_certificates WHERE id = ?", row -> row.getString(1),
                certificateId).orElse(""));
    }

    @Override
    public boolean claimAlerts(long certificateId, Set<Integer> seen, Set<Integer> days) {
        Set<Integer> all = new TreeSet<>(seen);
        all.addAll(days);
        return jdbc.update("UPDATE vendor_certificates SET alerts_sent = ? WHERE id = ? AND alerts_sent = ?",
                format(all), certificateId, format(seen)) == 1;
    }

    private static Set<Integer> parse(String sent) {
        return Arrays.stream(sent.split(",")).filter(s -> !s.isBlank()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String format(Set<Integer> days) {
        return new TreeSet<>(days).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public void recordWatch(long ticketId, Instant at, String result) {
        jdbc.update("UPDATE tickets SET watched_at = ?, watch_result = ? WHERE id = ?", at,
                result.length() > 2000 ? result.substring(0, 1999) + "…" : result, ticketId);
    }

    /** Active accounts with everything a check needs. */
    static final String WATCHED = "t.lifecycle = '" + Lifecycle.ACTIVE.name() + "' AND t.key_received_at IS NOT NULL "
            + "AND t.issuer_id IS NOT NULL AND t.key_id IS NOT NULL";

    @Override
    public List<Created> holdingSlots(long ticketId, Instant now) {
        return jdbc.query("SELECT id, asc_id, serial FROM vendor_certificates WHERE ticket_id = ? AND status <> ? "
                + "AND expires_at > ? ORDER BY id", row -> new Created(row.getLong(1), row.getString(2),
                        row.getString(3)), ticketId, VendorCertificate.Status.REVOKED.name(), now);
    }

    @Override
    public List<Long> watchedTickets() {
        return jdbc.query("SELECT t.id FROM tickets t WHERE " + WATCHED + " ORDER BY t.id", row -> row.getLong(1));
    }

    @Override
    public java.util.Map<Long, Instant> watchedWithoutJob() {
        java.util.Map<Long, Instant> due = new java.util.LinkedHashMap<>();
        jdbc.query("SELECT t.id, COALESCE(t.watched_at, t.updated_at) AS since FROM tickets t WHERE " + WATCHED
                + " AND NOT EXISTS (SELECT 1 FROM scheduled_tasks s WHERE s.task_name = 'watch' "
                + "AND s.task_instance = CAST(t.id AS VARCHAR(20))) ORDER BY t.id",
                row -> due.put(row.getLong(1), Jdbc.instant(row, "since")));
        return due;
    }

    @Override
    public Optional<Request> pendingRequest(long ticketId) {
        return jdbc.queryOne("SELECT id, ticket_id, csr, public_key_sha256, requested_by, reason "
                + "FROM certificate_requests WHERE ticket_id = ? AND state = 'PENDING' ORDER BY id DESC LIMIT 1",
                row -> new Request(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6)), ticketId);
    }

    @Override
    public long recordRequest(long ticketId, String csr, String publicKeySha256, String requestedBy, String reason,
            Instant at) {
        return jdbc.insert("INSERT INTO certificate_requests (ticket_id, csr, public_key_sha256, state, requested_by, "
                + "reason, created_at) VALUES (?, ?, ?, 'PENDING', ?, ?, ?)", ticketId, csr, publicKeySha256,
                requestedBy, reason.length() > 400 ? reason.substring(0, 400) : reason, at);
    }

    @Override
    public void finishRequest(long requestId, String state) {
        jdbc.update("UPDATE certificate_requests SET state = ? WHERE id = ?", state, requestId);
    }
}
