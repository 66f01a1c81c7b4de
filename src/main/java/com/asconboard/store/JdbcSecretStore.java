package com.asconboard.store;

import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretStore;
import com.asconboard.keys.StoredSecret;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code ticket_secrets} table: reading sealed secrets and re-sealing them on master-key rotation. */
public final class JdbcSecretStore implements SecretStore {
    private final Jdbc jdbc;

    public JdbcSecretStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public Optional<Sealed> find(long ticketId, String purpose) {
        return jdbc.queryOne("SELECT sealed FROM ticket_secrets WHERE ticket_id = ? AND purpose = ?",
                row -> row.getBytes(1), ticketId, purpose).map(bytes -> {
                    try {
                        return Sealed.fromBytes(bytes);
                    } catch (SealedDataException e) {
                        throw new StoreException("the stored secret of ticket " + ticketId + " is malformed: "
                                + e.getMessage(), null);
                    }
                });
    }

    /** Standard MERGE, which H2 and PostgreSQL 15+ both run. */
    @Override
    public void put(long ticketId, String purpose, Sealed sealed, Instant at) {
        jdbc.update("MERGE INTO ticket_secrets s USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(32)))) "
                + "AS v (ticket_id, purpose) ON s.ticket_id = v.ticket_id AND s.purpose = v.purpose "
                + "WHEN MATCHED THEN UPDATE SET master_key_id = ?, sealed = ?, created_at = ? "
                + "WHEN NOT MATCHED THEN INSERT (ticket_id, purpose, master_key_id, sealed, created_at) "
                + "VALUES (v.ticket_id, v.purpose, ?, ?, ?)", ticketId, purpose, sealed.keyId(), sealed.toBytes(), at,
                sealed.keyId(), sealed.toBytes(), at);
    }

    @Override
    public boolean delete(long ticketId, String purpose) {
        return jdbc.update("DELETE FROM ticket_secrets WHERE ticket_id = ? AND purpose = ?", ticketId, purpose) == 1;
    }

    @Override
    public int deleteAll(long ticketId, java.util.Set<String> keep) {
        if (keep.isEmpty()) {
            return jdbc.update("DELETE FROM ticket_secrets WHERE ticket_id = ?", ticketId);
        }
        List<Object> params = new java.util.ArrayList<>();
        params.add(ticketId);
        params.addAll(keep);
        return jdbc.update("DELETE FROM ticket_secrets WHERE ticket_id = ? AND purpose NOT IN ("
                + String.join(", ", java.util.Collections.nCopies(keep.size(), "?")) + ")", params.toArray());
    }

    @Override
    public Map<String, Integer> countByMasterKey() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query("SELECT master_key_id, COUNT(*) FROM ticket_secrets GROUP BY master_key_id ORDER BY master_key_id",
                row -> counts.put(row.getString(1), row.getInt(2)));
        return counts;
    }

    /** Wraps the visitor's checked failure so that it can cross the transaction and roll it back. */
    private static final class Abort extends RuntimeException {
        private final SealedDataException cause;

        Abort(SealedDataException cause) {
            super(cause.getMessage());
            this.cause = cause;
        }
    }

    /**
     * One short transaction per secret (locked, re-sealed, written), so instances serving at the same time
     * wait for at most one row; a secret already re-sealed is left as it is, so a second run resumes.
     */
    @Override
    public int resealAll(Reseal reseal) throws SealedDataException {
        List<Object[]> keys = jdbc.query("SELECT ticket_id, purpose FROM ticket_secrets ORDER BY ticket_id, purpose",
                row -> new Object[] {row.getLong(1), row.getString(2)});
        int changed = 0;
        try {
            for (Object[] key : keys) {
                boolean done = jdbc.inTransaction("re-sealing a secret", c -> {
                    byte[] bytes;
                    try (var s = c.prepareStatement("SELECT sealed FROM ticket_secrets WHERE ticket_id = ? AND "
                            + "purpose = ? FOR UPDATE")) {
                        s.setLong(1, (Long) key[0]);
                        s.setString(2, (String) key[1]);
                        try (ResultSet rs = s.executeQuery()) {
                            if (!rs.next()) {
                                return false;
                            }
                            bytes = rs.getBytes(1);
                        }
                    }
                    try {
                        Sealed resealed = reseal.apply(new StoredSecret((Long) key[0], (String) key[1],
                                Sealed.fromBytes(bytes)));
                        if (resealed == null) {
                            return false;
                        }
                        Jdbc.update(c, "UPDATE ticket_secrets SET master_key_id = ?, sealed = ? WHERE ticket_id = ? "
                                + "AND purpose = ?", resealed.keyId(), resealed.toBytes(), key[0], key[1]);
                        return true;
                    } catch (SealedDataException e) {
                        throw new Abort(e);
                    }
                });
                if (done) {
                    changed++;
                }
            }
        } catch (Abort e) {
            throw e.cause;
        }
        return changed;
    }
}
