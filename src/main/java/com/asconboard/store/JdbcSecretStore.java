package com.asconboard.store;

import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretStore;
import com.asconboard.keys.StoredSecret;
import java.sql.ResultSet;
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

    @Override
    public int resealAll(Reseal reseal) throws SealedDataException {
        try {
            return jdbc.inTransaction("re-sealing secrets", c -> {
                List<Object[]> rows = new java.util.ArrayList<>();
                try (var s = c.prepareStatement("SELECT ticket_id, purpose, sealed FROM ticket_secrets FOR UPDATE");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getBytes(3)});
                    }
                }
                int changed = 0;
                for (Object[] row : rows) {
                    try {
                        StoredSecret secret = new StoredSecret((Long) row[0], (String) row[1],
                                Sealed.fromBytes((byte[]) row[2]));
                        Sealed resealed = reseal.apply(secret);
                        if (resealed != null) {
                            Jdbc.update(c, "UPDATE ticket_secrets SET master_key_id = ?, sealed = ? "
                                    + "WHERE ticket_id = ? AND purpose = ?", resealed.keyId(), resealed.toBytes(),
                                    row[0], row[1]);
                            changed++;
                        }
                    } catch (SealedDataException e) {
                        throw new Abort(e);
                    }
                }
                return changed;
            });
        } catch (Abort e) {
            throw e.cause;
        }
    }
}
