package com.asconboard.store;

import com.asconboard.upload.LinkStatus;
import com.asconboard.upload.UploadLink;
import com.asconboard.upload.UploadLinkRepository;
import com.asconboard.upload.Verdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Upload links and the sealed key they deliver, in the relational store. */
public final class JdbcUploadLinkRepository implements UploadLinkRepository {
    private static final String COLUMNS = "id, ticket_id, status, created_by, created_at, expires_at, failed_attempts, "
            + "used_at, verdict, verdict_detail";

    private final Jdbc jdbc;

    public JdbcUploadLinkRepository(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public UploadLink issue(long ticketId, String tokenHash, String createdBy, Instant createdAt, Instant expiresAt) {
        long id = jdbc.inTransaction("issuing an upload link", c -> {
            Jdbc.update(c, "UPDATE upload_links SET status = ? WHERE ticket_id = ? AND status IN (?, ?)",
                    LinkStatus.REVOKED.name(), ticketId, LinkStatus.ACTIVE.name(), LinkStatus.CHECKING.name());
            return jdbc.insert("INSERT INTO upload_links (ticket_id, token_hash, status, created_by, created_at, "
                    + "expires_at) VALUES (?, ?, ?, ?, ?, ?)", ticketId, tokenHash, LinkStatus.ACTIVE.name(), createdBy,
                    createdAt, expiresAt);
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
    public boolean consume(long linkId, Instant now, String ip) {
        return jdbc.update("UPDATE upload_links SET status = ?, used_at = ?, used_ip = ?, verdict = NULL, "
                + "verdict_detail = NULL WHERE id = ? AND status = ? AND expires_at > ?",
                LinkStatus.USED.name(), now, ip, linkId, LinkStatus.ACTIVE.name(), now) == 1;
    }

    @Override
    public void startChecking(long linkId) {
        jdbc.update("UPDATE upload_links SET status = ? WHERE id = ? AND status = ?", LinkStatus.CHECKING.name(),
                linkId, LinkStatus.USED.name());
    }

    @Override
    public List<UploadLink> checking(long ticketId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM upload_links WHERE ticket_id = ? AND status = ? ORDER BY id",
                JdbcUploadLinkRepository::link, ticketId, LinkStatus.CHECKING.name());
    }

    @Override
    public boolean spend(long linkId, Verdict verdict) {
        return jdbc.update("UPDATE upload_links SET status = ?, verdict = ? WHERE id = ? AND status = ?",
                LinkStatus.USED.name(), verdict.name(), linkId, LinkStatus.CHECKING.name()) == 1;
    }

    @Override
    public Optional<UploadLink> reopen(long linkId, Verdict verdict, String detail, int limit) {
        int changed = jdbc.update("UPDATE upload_links SET failed_attempts = failed_attempts + 1, "
                + "status = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE ? END, verdict = ?, verdict_detail = ? "
                + "WHERE id = ? AND status = ?", limit, LinkStatus.LOCKED.name(), LinkStatus.ACTIVE.name(),
                verdict.name(), detail, linkId, LinkStatus.CHECKING.name());
        return changed == 1 ? find(linkId) : Optional.empty();
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

    /** A link ends when it is used, or else when it expires; only its hash and dates were kept. */
    @Override
    public int pruneEndedBefore(Instant before) {
        return jdbc.update("DELETE FROM upload_links WHERE status <> ? AND COALESCE(used_at, expires_at) < ?",
                LinkStatus.ACTIVE.name(), before);
    }

    @Override
    public boolean claimLateUseNotice(long linkId) {
        return jdbc.update("UPDATE upload_links SET late_use_noticed = TRUE WHERE id = ? AND late_use_noticed = FALSE",
                linkId) == 1;
    }

    @Override
    public Optional<UploadLink> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM upload_links WHERE id = ?", JdbcUploadLinkRepository::link, id);
    }

    private static UploadLink link(ResultSet row) throws SQLException {
        return new UploadLink(row.getLong("id"), row.getLong("ticket_id"), LinkStatus.valueOf(row.getString("status")),
                row.getString("created_by"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "expires_at"),
                row.getInt("failed_attempts"), Jdbc.instant(row, "used_at"), verdict(row.getString("verdict")),
                row.getString("verdict_detail"));
    }

    /** A verdict this version does not know (written by a newer one) reads as none. */
    private static Verdict verdict(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Verdict.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
