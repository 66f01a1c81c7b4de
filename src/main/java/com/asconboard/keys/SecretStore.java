package com.asconboard.keys;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Where sealed secrets are kept. */
public interface SecretStore {
    /** The sealed secret of a ticket for a purpose, if there is one. */
    Optional<Sealed> find(long ticketId, String purpose);

    /** Stores (or replaces) the sealed secret of a ticket for a purpose. */
    void put(long ticketId, String purpose, Sealed sealed, Instant at);

    /** Deletes one secret; true when there was one. */
    boolean delete(long ticketId, String purpose);

    /**
     * Deletes every secret of a ticket except those whose purpose is in {@code keep}: the rows are gone, not
     * marked. Returns how many were deleted.
     */
    int deleteAll(long ticketId, java.util.Set<String> keep);

    /** How many secrets are sealed under each master key id. */
    Map<String, Integer> countByMasterKey();

    /** Visitor that returns the re-sealed secret, or null to leave it as it is. */
    @FunctionalInterface
    interface Reseal {
        Sealed apply(StoredSecret secret) throws SealedDataException;
    }

    /**
     * Replaces every secret with what {@code reseal} makes of it, each in its own short transaction so that
     * serving instances are never held up; run again, it carries on where it stopped. Returns how many changed.
     */
    int resealAll(Reseal reseal) throws SealedDataException;
}
