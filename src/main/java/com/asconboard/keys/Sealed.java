package com.asconboard.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A secret sealed by {@link SecretBox}: which master key sealed it, the GCM IV, and the ciphertext
 * with its 16-byte tag appended. Store it with {@link #toBytes()}; arrays are copied in and out.
 *
 * <p>Stored format, version 1: {@code 0x01 | key id (8 ASCII hex chars) | IV (12 bytes) | ciphertext+tag}.
 */
public record Sealed(String keyId, byte[] iv, byte[] ciphertext) {

    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int KEY_ID_CHARS = 8;

    private static final byte FORMAT_V1 = 1;
    private static final int HEADER_BYTES = 1 + KEY_ID_CHARS + IV_BYTES;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{" + KEY_ID_CHARS + "}");

    /** @throws IllegalArgumentException if a part has the wrong shape */
    public Sealed {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be " + KEY_ID_CHARS + " lower-case hex characters");
        }
        if (iv.length != IV_BYTES) {
            throw new IllegalArgumentException("iv must be " + IV_BYTES + " bytes, was " + iv.length);
        }
        if (ciphertext.length < TAG_BYTES) {
            throw new IllegalArgumentException(
                    "ciphertext must include the " + TAG_BYTES + "-byte tag, was " + ciphertext.length + " bytes");
        }
        iv = iv.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** The compact encoding for a BLOB column. */
    public byte[] toBytes() {
        byte[] out = new byte[HEADER_BYTES + ciphertext.length];
        out[0] = FORMAT_V1;
        System.arraycopy(keyId.getBytes(StandardCharsets.US_ASCII), 0, out, 1, KEY_ID_CHARS);
        System.arraycopy(iv, 0, out, 1 + KEY_ID_CHARS, IV_BYTES);
        System.arraycopy(ciphertext, 0, out, HEADER_BYTES, ciphertext.length);
        return out;
    }

    /** @throws SealedDataException ({@link SealedDataException.Reason#MALFORMED}) if the bytes are not a sealed value */
    public static Sealed fromBytes(byte[] bytes) throws SealedDataException {
        if (bytes == null || bytes.length == 0) {
            throw malformed("it is empty");
        }
        if (bytes[0] != FORMAT_V1) {
            throw malformed("its format version is " + (bytes[0] & 0xFF) + ", this server reads version " + FORMAT_V1);
        }
        if (bytes.length < HEADER_BYTES + TAG_BYTES) {
            throw malformed("it is " + bytes.length + " bytes, shorter than the smallest possible ("
                    + (HEADER_BYTES + TAG_BYTES) + ")");
        }
        String keyId = new String(bytes, 1, KEY_ID_CHARS, StandardCharsets.US_ASCII);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw malformed("its master key id is not " + KEY_ID_CHARS + " hex characters");
        }
        return new Sealed(keyId,
                Arrays.copyOfRange(bytes, 1 + KEY_ID_CHARS, HEADER_BYTES),
                Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sealed other
                && keyId.equals(other.keyId)
                && Arrays.equals(iv, other.iv)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * keyId.hashCode() + Arrays.hashCode(iv)) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + (ciphertext.length - TAG_BYTES) + " bytes of sealed data]";
    }

    private static SealedDataException malformed(String why) {
        return new SealedDataException(SealedDataException.Reason.MALFORMED,
                "stored sealed data is malformed: " + why);
    }
}
