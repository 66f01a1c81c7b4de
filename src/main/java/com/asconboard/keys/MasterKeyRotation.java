package com.asconboard.keys;

import java.util.Arrays;

/**
 * Re-seals every stored secret from the old master key to the new one, all or nothing. Secrets
 * already under the new key are left alone, so an interrupted rotation can simply be run again.
 */
public final class MasterKeyRotation {
    private MasterKeyRotation() {
    }

    /** Returns how many secrets were re-sealed. */
    public static int rotate(SecretStore store, SecretBox from, SecretBox to) throws SealedDataException {
        if (from.keyId().equals(to.keyId())) {
            throw new IllegalArgumentException("the new master key is the same as the current one (" + to.keyId()
                    + ")");
        }
        return store.resealAll(secret -> {
            if (secret.sealed().keyId().equals(to.keyId())) {
                return null;
            }
            byte[] plain = from.open(secret.sealed(), secret.aad());
            try {
                return to.seal(plain, secret.aad());
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        });
    }
}
