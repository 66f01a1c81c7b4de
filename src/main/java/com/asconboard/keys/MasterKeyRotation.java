package com.asconboard.keys;

import java.util.Arrays;

/**
 * Re-seals every stored secret from the old master key to the new one, one secret at a time. Secrets
 * already under the new key are left alone, so an interrupted rotation can simply be run again.
 */
public final class MasterKeyRotation {
    private MasterKeyRotation() {
    }

    /**
     * Re-seals under the box's current key every secret still under its previous one (MASTER_KEY_PREVIOUS),
     * while instances keep serving with both keys. Returns how many secrets were re-sealed.
     */
    public static int resealUnderCurrent(SecretStore store, SecretBox box) throws SealedDataException {
        if (box.previousKeyId() == null) {
            throw new IllegalArgumentException("no previous master key to rotate from: set MASTER_KEY_PREVIOUS to the "
                    + "outgoing key and MASTER_KEY to the new one");
        }
        return store.resealAll(secret -> {
            if (secret.sealed().keyId().equals(box.keyId())) {
                return null;
            }
            byte[] plain = box.open(secret.sealed(), secret.aad());
            try {
                return box.seal(plain, secret.aad());
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        });
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
