package com.asconboard.store;

import com.asconboard.keys.Sealed;
import com.asconboard.upload.LinkStatus;
import com.asconboard.upload.UploadLink;
import com.asconboard.upload.UploadLinkRepository;
import com.asconboard.upload.UploadLinks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Upload links and the sealed key they deliver, in the relational store. */
public final class JdbcUploadLinkRepository implements UploadLinkRepository {
    private static final String COLUMNS = "id, ticket_id, status, created_by, created_at, expires_at, failed_attempts, "
            + "used_at";

    private final Jdbc jdbc;

    public JdbcUploadLinkRepository(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public UploadLink issue(long ticketId, String tokenHash, String createdBy, Instant createdAt, Instant expiresAt) {
        long id = jdbc.inTransaction("issuing an upload link", c -> {
            Jdbc.update(c, "UPDATE upload_links SET status = ? WHERE ticket_id = ? AND status = ?",
                    LinkStatus.REVOKED.name(), ticketId, LinkStatus.ACTIVE.name());
            try (var s = c.prepareStatement("INSERT INTO upload_links (ticket_id, token_hash, status, created_by, "
                    + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                s.setLong(1, ticketId);
                s.setString(2, tokenHash);
                s.setString(3, LinkStatus.ACTIVE.name());
                s.setString(4, createdBy);
                s.setTimestamp(5, java.sql.Timestamp.from(createdAt));
                s.setTimestamp(6, java.sql.Timestamp.from(expiresAt));
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return find(id).orElseThrow();
    }

    @Override
    public Optional<UploadLink> findByTokenHash(String tokenHash) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM upload_links WHERE token_hash = ?",
                JdbcUploadLinkRepository::link, tokenHash);
    }

    @Override
    public UploadLink recordFailure(long linkId, int limit) {
        jdbc.update("UPDATE upload_links SET failed_attempts = failed_attempts + 1, "
                + "status = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE status END "
                + "WHERE id = ? AND status = ?", limit, LinkStatus.LOCKED.name(), linkId, LinkStatus.ACTIVE.name());
        return find(linkId).orElseThrow();
    }

    @Override
    public boolean consume(long linkId, long ticketId, Instant now, String ip, Sealed sealedKey, String keyId) {
        return jdbc.inTransaction("storing an uploaded key", c -> {
            int claimed = Jdbc.update(c, "UPDATE upload_links SET status = ?, used_at = ?, used_ip = ? "
                    + "WHERE id = ? AND status = ? AND expires_at > ?",
                    LinkStatus.USED.name(), now, ip, linkId, LinkStatus.ACTIVE.name(), now);
            if (claimed != 1) {
                return false;
            }
            Jdbc.update(c, "MERGE INTO ticket_secrets (ticket_id, purpose, master_key_id, sealed, created_at) "
                    + "KEY (ticket_id, purpose) VALUES (?, ?, ?, ?, ?)",
                    ticketId, UploadLinks.KEY_PURPOSE, sealedKey.keyId(), sealedKey.toBytes(), now);
            Jdbc.update(c, "UPDATE tickets SET key_received_at = ?, key_received_from = ?, "
                    + "key_id = COALESCE(key_id, ?), updated_at = ? WHERE id = ?", now, ip, keyId, now, ticketId);
            return true;
        });
    }

    @Override
    public List<UploadLink> expireDue(Instant now) {
        List<UploadLink> due = jdbc.query("SELECT " + COLUMNS + " FROM upload_links WHERE status = ? AND expires_at <= ?",
                JdbcUploadLinkRepository::link, LinkStatus.ACTIVE.name(), now);
        List<UploadLink> expired = new ArrayList<>();
        for (UploadLink link : due) {
            if (jdbc.update("UPDATE upload_links SET status = ? WHERE id = ? AND status = ?",
                    LinkStatus.EXPIRED.name(), link.id(), LinkStatus.ACTIVE.name()) == 1) {
                expired.add(link);
            }
        }
        return expired;
    }

    @Override
    public boolean claimLateUseNotice(long linkId) {
        return jdbc.update("UPDATE upload_links SET late_use_noticed = TRUE WHERE id = ? AND late_use_noticed = FALSE",
                linkId) == 1;
    }

    private Optional<UploadLink> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM upload_links WHERE id = ?", JdbcUploadLinkRepository::link, id);
    }

    private static UploadLink link(ResultSet row) throws SQLException {
        return new UploadLink(row.getLong("id"), row.getLong("ticket_id"), LinkStatus.valueOf(row.getString("status")),
                row.getString("created_by"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "expires_at"),
                row.getInt("failed_attempts"), Jdbc.instant(row, "used_at"));
    }
}
