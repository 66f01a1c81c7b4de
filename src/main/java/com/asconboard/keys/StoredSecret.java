package com.asconboard.keys;

/** One sealed secret as stored: which ticket and purpose it belongs to (its AAD) and the sealed bytes. */
public record StoredSecret(long ticketId, String purpose, Sealed sealed) {
    public byte[] aad() {
        return SecretBox.aadFor(ticketId, purpose);
    }
}
