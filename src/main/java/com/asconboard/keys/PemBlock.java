package com.asconboard.keys;

import java.util.Arrays;

/** One {@code -----BEGIN X----- … -----END X-----} block, its body already base64-decoded. */
final class PemBlock {

    private final String label;
    private final byte[] der;
    private final boolean encryptedHeader;

    PemBlock(String label, byte[] der, boolean encryptedHeader) {
        this.label = label;
        this.der = der;
        this.encryptedHeader = encryptedHeader;
    }

    String label() {
        return label;
    }

    /** The decoded body itself, not a copy: it is wiped by {@link #wipe()}. */
    byte[] der() {
        return der;
    }

    /** True when OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} header is present. */
    boolean hasEncryptedHeader() {
        return encryptedHeader;
    }

    void wipe() {
        Arrays.fill(der, (byte) 0);
    }

    @Override
    public String toString() {
        return "PemBlock[" + label + ", " + der.length + " bytes]";
    }
}
