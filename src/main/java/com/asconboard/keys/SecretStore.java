package com.asconboard.keys;

import java.util.Map;
import java.util.Optional;

/** Where sealed secrets are kept, as master-key rotation needs to see them. */
public interface SecretStore {
    /** The sealed secret of a ticket for a purpose, if there is one. */
    Optional<Sealed> find(long ticketId, String purpose);

    /** How many secrets are sealed under each master key id. */
    Map<String, Integer> countByMasterKey();

    /** Visitor that returns the re-sealed secret, or null to leave it as it is. */
    @FunctionalInterface
    interface Reseal {
        Sealed apply(StoredSecret secret) throws SealedDataException;
    }

    /** Replaces every secret with what {@code reseal} makes of it, in one transaction; returns how many changed. */
    int resealAll(Reseal reseal) throws SealedDataException;
}
