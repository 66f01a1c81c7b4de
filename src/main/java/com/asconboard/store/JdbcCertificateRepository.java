package com.asconboard.store;

import com.asconboard.certs.CertificateRepository;
import com.asconboard.keys.Sealed;
import com.asconboard.ticket.TicketStatus;
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
    public long add(long ticketId, Issued c, String keyPurpose, Sealed privateKey, String createdBy, Instant at) {
        return jdbc.inTransaction("storing a certificate", conn -> {
            long id;
            try (var s = conn.prepareStatement("INSERT INTO vendor_certificates (ticket_id, asc_id, serial, name, "
                    + "expires_at, der, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"})) {
                s.setLong(1, ticketId);
                s.setString(2, c.ascId());
                s.setString(3, c.serial());
                s.setString(4, c.name());
                s.setTimestamp(5, java.sql.Timestamp.from(c.expiresAt()));
                s.setBytes(6, c.der());
                s.setString(7, VendorCertificate.Status.ACTIVE.name());
                s.setString(8, createdBy);
                s.setTimestamp(9, java.sql.Timestamp.from(at));
                s.executeUpdate();
                try (var keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            Jdbc.update(conn, "MERGE INTO ticket_secrets (ticket_id, purpose, master_key_id, sealed, created_at) "
                    + "KEY (ticket_id, purpose) VALUES (?, ?, ?, ?, ?)", ticketId, keyPurpose, privateKey.keyId(),
                    privateKey.toBytes(), at);
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
        jdbc.update("UPDATE tickets SET certificate_problem = ? WHERE id = ?", problem, ticketId);
    }

    @Override
    public void markRevoked(long certificateId) {
        jdbc.update("UPDATE vendor_certificates SET status = ? WHERE id = ?", VendorCertificate.Status.REVOKED.name(),
                certificateId);
    }

    @Override
    public Set<Integer> alertsSent(long certificateId) {
        String sent = jdbc.queryOne("SELECT alerts_sent FROM vendor_certificates WHERE id = ?", row -> row.getString(1),
                certificateId).orElse("");
        return Arrays.stream(sent.split(",")).filter(s -> !s.isBlank()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public void addAlerts(long certificateId, Set<Integer> days) {
        Set<Integer> all = new TreeSet<>(alertsSent(certificateId));
        all.addAll(days);
        jdbc.update("UPDATE vendor_certificates SET alerts_sent = ? WHERE id = ?",
                all.stream().map(String::valueOf).collect(Collectors.joining(",")), certificateId);
    }

    @Override
    public void recordWatch(long ticketId, Instant at, String result) {
        jdbc.update("UPDATE tickets SET watched_at = ?, watch_result = ? WHERE id = ?", at,
                result.length() > 2000 ? result.substring(0, 1999) + "…" : result, ticketId);
    }

    @Override
    public List<Long> watchedTickets() {
        return jdbc.query("SELECT id FROM tickets WHERE status = ? AND key_received_at IS NOT NULL "
                + "AND issuer_id IS NOT NULL AND key_id IS NOT NULL ORDER BY id", row -> row.getLong(1),
                TicketStatus.OPEN.name());
    }
}
