package com.asconboard.keys;

import java.util.Objects;

/**
 * Sealed data could not be opened. {@link #reason()} tells rotation code whether another master key
 * might open it ({@link Reason#OTHER_KEY}) or the stored bytes themselves are bad.
 */
public final class SealedDataException extends Exception {

    public enum Reason {
        /** Sealed under a different master key than the one this box has. */
        OTHER_KEY,
        /** The ciphertext, IV or associated data do not match: altered data or the wrong record. */
        AUTHENTICATION_FAILED,
        /** The stored bytes are not a sealed value in any format this code knows. */
        MALFORMED
    }

    private final Reason reason;

    SealedDataException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
