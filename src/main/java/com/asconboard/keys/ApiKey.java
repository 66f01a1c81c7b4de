package com.asconboard.keys;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A validated App Store Connect API key (EC P-256, ES256). Holds secret material: never log it, and
 * call {@link #destroy()} when done to wipe the PKCS#8 copy it keeps.
 */
public final class ApiKey implements Destroyable {

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final String keyId;
    private final boolean keyIdFromFileName;
    private final byte[] pkcs8;
    private volatile boolean destroyed;

    ApiKey(ECPrivateKey privateKey, ECPublicKey publicKey, String keyId, boolean keyIdFromFileName, byte[] pkcs8) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = keyId;
        this.keyIdFromFileName = keyIdFromFileName;
        this.pkcs8 = pkcs8;
    }

    public ECPrivateKey privateKey() {
        return privateKey;
    }

    public ECPublicKey publicKey() {
        return publicKey;
    }

    /** The upper-case key id: the one the caller expected, else the one in the file name, else null. */
    public String keyId() {
        return keyId;
    }

    /** True when {@link #keyId()} was read from the file name rather than given by the caller. */
    public boolean keyIdFromFileName() {
        return keyIdFromFileName;
    }

    /**
     * The key as PKCS#8 DER, normalised to the shape of Apple's own files (named curve, public point
     * included) whatever form was uploaded. Returns a fresh copy each call; the caller must wipe it.
     *
     * @throws IllegalStateException after {@link #destroy()}
     */
    public byte[] pkcs8() {
        if (destroyed) {
            throw new IllegalStateException("this API key has been destroyed");
        }
        return pkcs8.clone();
    }

    /**
     * Wipes the PKCS#8 copy held here. The JDK key objects cannot be wiped; drop references to them.
     */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(pkcs8, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        String id = keyId == null ? "unknown" : keyId + (keyIdFromFileName ? " (from file name)" : "");
        return "ApiKey[keyId=" + id + ", EC P-256" + (destroyed ? ", destroyed" : "") + "]";
    }
}
