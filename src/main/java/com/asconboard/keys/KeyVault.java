package com.asconboard.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/** Opens a ticket's stored API key for use; the decrypted bytes live only as long as this call. */
public final class KeyVault {
    /** The purpose a ticket's App Store Connect API key is sealed under; part of its AAD. */
    public static final String API_KEY = "p8";

    private final SecretStore store;
    private final SecretBox box;

    public KeyVault(SecretStore store, SecretBox box) {
        this.store = store;
        this.box = box;
    }

    /**
     * The ticket's App Store Connect private key, or empty when none was uploaded.
     *
     * @throws SealedDataException when the stored key cannot be opened (another master key, tampering)
     */
    public Optional<ECPrivateKey> apiKey(long ticketId) throws SealedDataException {
        Optional<Sealed> sealed = store.find(ticketId, API_KEY);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] der = box.open(sealed.get(), SecretBox.aadFor(ticketId, API_KEY));
        try {
            return Optional.of((ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("the stored key of ticket " + ticketId + " is not an EC key", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
