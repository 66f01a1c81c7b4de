package com.asconboard.asc;

import java.security.interfaces.ECPrivateKey;
import java.util.Objects;

/** What signs requests to one App Store Connect account: Issuer ID, Key ID and the key itself. */
public record AscCredentials(String issuerId, String keyId, ECPrivateKey privateKey) {
    public AscCredentials {
        Objects.requireNonNull(issuerId, "issuerId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String toString() {
        return "AscCredentials[issuer " + issuerId + ", key " + keyId + ", private key ****]";
    }
}
