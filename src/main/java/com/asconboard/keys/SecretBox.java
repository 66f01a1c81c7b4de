package com.asconboard.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest with AES-256-GCM under one 32-byte master key. Pass associated data
 * ({@link #aadFor}) that names the record a secret belongs to, so a sealed value copied to another
 * row will not open. Thread-safe.
 */
public final class SecretBox {

    private static final int KEY_BYTES = 32;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final Pattern PURPOSE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;
    /** The key being rotated out: what it sealed still opens; nothing new is sealed under it. May be null. */
    private final SecretKeySpec previousKey;
    private final String previousKeyId;

    /**
     * @param masterKey exactly 32 bytes; copied, so the caller may wipe it afterwards
     * @throws IllegalArgumentException if it is not 32 bytes
     */
    public SecretBox(byte[] masterKey) {
        this(masterKey, null);
    }

    /**
     * A box that seals under {@code masterKey} and opens what either key sealed, for a rotation without
     * downtime: instances run with the new key and the old one as {@code previous} until every secret is
     * re-sealed.
     *
     * @param previous the key being rotated out, 32 bytes, or null
     */
    public SecretBox(byte[] masterKey, byte[] previous) {
        Objects.requireNonNull(masterKey, "masterKey");
        check(masterKey, "the master key");
        this.key = new SecretKeySpec(masterKey, "AES");
        this.keyId = fingerprint(masterKey);
        if (previous != null) {
            check(previous, "the previous master key");
        }
        this.previousKey = previous == null ? null : new SecretKeySpec(previous, "AES");
        this.previousKeyId = previous == null ? null : fingerprint(previous);
    }

    private static void check(byte[] key, String what) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes (AES-256), got "
                    + key.length + " bytes");
        }
    }

    /** Whether secrets sealed under the key with this id open here. */
    public boolean opens(String sealedKeyId) {
        return keyId.equals(sealedKeyId) || sealedKeyId.equals(previousKeyId);
    }

    /** The id of the key being rotated out, or null. */
    public String previousKeyId() {
        return previousKeyId;
    }

    /**
     * The first 8 hex characters of the master key's SHA-256: stored with each sealed value so that,
     * during rotation, it is known which key sealed what.
     */
    public String keyId() {
        return keyId;
    }

    /**
     * Encrypts under a fresh random 96-bit IV.
     *
     * @param aad associated data that must be given again to {@link #open}; null means none (same as empty)
     */
    public Sealed seal(byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] iv = new byte[Sealed.IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(key, Cipher.ENCRYPT_MODE, iv, aad);
            return new Sealed(keyId, iv, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * @return the plaintext; the caller should wipe it when done
     * @throws SealedDataException if it was sealed under another master key, or was altered, or the
     *                             associated data differs
     */
    public byte[] open(Sealed sealed, byte[] aad) throws SealedDataException {
        Objects.requireNonNull(sealed, "sealed");
        SecretKeySpec opening = keyId.equals(sealed.keyId()) ? key
                : sealed.keyId().equals(previousKeyId) ? previousKey : null;
        if (opening == null) {
            throw new SealedDataException(SealedDataException.Reason.OTHER_KEY,
                    "sealed under master key " + sealed.keyId() + ", this server has " + keyId
                            + (previousKeyId == null ? "" : " (and previous " + previousKeyId + ")")
                            + ": restore the key it was sealed under (as MASTER_KEY_PREVIOUS during a rotation)");
        }
        try {
            return cipher(opening, Cipher.DECRYPT_MODE, sealed.iv(), aad).doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new SealedDataException(SealedDataException.Reason.AUTHENTICATION_FAILED,
                    "authentication failed: the data was altered or belongs to another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * Associated data binding a secret to its ticket row, e.g. {@code asc-onboard:ticket:42:p8}.
     *
     * @param purpose lower-case letters, digits, '.', '_' or '-', such as "p8"
     */
    public static byte[] aadFor(long ticketId, String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must be lower-case letters, digits, '.', '_' or '-'");
        }
        return ("asc-onboard:ticket:" + ticketId + ":" + purpose).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SecretBox[keyId=" + keyId + (previousKeyId == null ? "" : ", previous=" + previousKeyId) + "]";
    }

    private static Cipher cipher(SecretKeySpec with, int mode, byte[] iv, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, with, new GCMParameterSpec(Sealed.TAG_BYTES * 8, iv));
        if (aad != null) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }

    private static String fingerprint(byte[] masterKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey);
            return HexFormat.of().formatHex(digest, 0, Sealed.KEY_ID_CHARS / 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
