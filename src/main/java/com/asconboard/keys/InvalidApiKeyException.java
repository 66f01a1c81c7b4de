package com.asconboard.keys;

import java.util.List;
import java.util.Objects;

/**
 * An uploaded key file was refused. {@link #problem()} is a stable code for program logic;
 * {@link #getMessage()} is written for the customer's Apple account admin and may be shown as is.
 * Messages never contain any part of the uploaded file other than key ids and block names.
 */
public final class InvalidApiKeyException extends Exception {

    /** Why the file was refused. Codes are stable; do not rename them. */
    public enum Problem {
        EMPTY_FILE,
        FILE_TOO_LARGE,
        SUBSCRIPTION_KEY,
        KEY_ID_MISMATCH,
        KEY_ID_IN_FILE_NAME_MALFORMED,
        BINARY_FILE,
        PKCS12,
        CERTIFICATE,
        CERTIFICATE_REQUEST,
        PUBLIC_KEY,
        NOT_PEM,
        MISSING_PEM_LINES,
        PEM_INCOMPLETE,
        UNKNOWN_PEM_TYPE,
        MULTIPLE_BLOCKS,
        BROKEN_BASE64,
        MALFORMED_KEY,
        ENCRYPTED_KEY,
        RSA_KEY,
        ED25519_KEY,
        UNSUPPORTED_ALGORITHM,
        WRONG_CURVE,
        SCALAR_OUT_OF_RANGE,
        PUBLIC_KEY_MISMATCH,
        SELF_TEST_FAILED
    }

    private static final String WHERE_KEYS_LIVE =
            "App Store Connect (Users and Access → Integrations → App Store Connect API → Team Keys)";
    private static final String UPLOAD_ORIGINAL =
            " Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from "
                    + WHERE_KEYS_LIVE + ".";
    private static final String REISSUE =
            " Apple lets you download a key file only once: if you no longer have the original,"
                    + " revoke this key there and generate a new one.";
    private static final String ES256 =
            " App Store Connect API keys are elliptic-curve keys on the P-256 curve (ES256), so this is not one.";

    private final Problem problem;

    InvalidApiKeyException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem);
    }

    public Problem problem() {
        return problem;
    }

    // Customer-facing texts are kept together so they can be reviewed and reworded in one place.

    static InvalidApiKeyException emptyFile() {
        return new InvalidApiKeyException(Problem.EMPTY_FILE, "The uploaded file is empty." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException fileTooLarge(int bytes) {
        return new InvalidApiKeyException(Problem.FILE_TOO_LARGE,
                "The uploaded file is " + (bytes / 1024) + " KB, but an App Store Connect API key file is"
                        + " a small text file of about 250 bytes." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException subscriptionKey() {
        return new InvalidApiKeyException(Problem.SUBSCRIPTION_KEY,
                "This is an In-App Purchase key (its file name starts with SubscriptionKey_), not an"
                        + " App Store Connect API key. Create an API key in " + WHERE_KEYS_LIVE
                        + " and upload the AuthKey_<KEY ID>.p8 file it gives you.");
    }

    static InvalidApiKeyException keyIdMismatch(String fileKeyId, String expectedKeyId) {
        return new InvalidApiKeyException(Problem.KEY_ID_MISMATCH,
                "This file is for API key " + fileKeyId + ", but the key ID we were given is " + expectedKeyId
                        + ". Upload AuthKey_" + expectedKeyId + ".p8, or, if " + fileKeyId
                        + " is the key you meant to share, give us that key ID instead.");
    }

    static InvalidApiKeyException keyIdInFileNameMalformed() {
        // The id is not repeated: it can be anything, of any length.
        return new InvalidApiKeyException(Problem.KEY_ID_IN_FILE_NAME_MALFORMED,
                "The file's name does not hold a valid key ID: App Store Connect names its key files"
                        + " AuthKey_<KEY ID>.p8, and a key ID is 10 letters or digits (for example 2X9R4HXF34)."
                        + " Upload the file under the name it was downloaded with, or rename it to AuthKey_ followed"
                        + " by the key's ID as App Store Connect shows it.");
    }

    static InvalidApiKeyException binaryFile() {
        return new InvalidApiKeyException(Problem.BINARY_FILE,
                "This is a binary file (for example a .p12 or .cer export), not an App Store Connect API key."
                        + " The key file is a short text file that starts with -----BEGIN PRIVATE KEY-----."
                        + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException pkcs12() {
        return new InvalidApiKeyException(Problem.PKCS12,
                "This is a .p12 (PKCS#12) file, the kind Keychain Access exports for certificates, not an"
                        + " App Store Connect API key." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException certificate() {
        return new InvalidApiKeyException(Problem.CERTIFICATE,
                "This is a certificate, not an App Store Connect API key. Certificates are used to sign apps"
                        + " or send push notifications; the API key is a separate file." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException certificateRequest() {
        return new InvalidApiKeyException(Problem.CERTIFICATE_REQUEST,
                "This is a certificate signing request (CSR), not an App Store Connect API key."
                        + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException publicKey() {
        return new InvalidApiKeyException(Problem.PUBLIC_KEY,
                "This is a public key. We need the private key file, which App Store Connect gives you as"
                        + " AuthKey_<KEY ID>.p8 when you generate the key in " + WHERE_KEYS_LIVE + "." + REISSUE);
    }

    static InvalidApiKeyException notPem() {
        return new InvalidApiKeyException(Problem.NOT_PEM,
                "This file does not contain a key. An App Store Connect API key file starts with"
                        + " -----BEGIN PRIVATE KEY----- and ends with -----END PRIVATE KEY-----." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException missingPemLines() {
        return new InvalidApiKeyException(Problem.MISSING_PEM_LINES,
                "This file looks like the inside of a key without its -----BEGIN PRIVATE KEY----- and"
                        + " -----END PRIVATE KEY----- lines, which are part of the key file." + UPLOAD_ORIGINAL);
    }

    /** @param beginLabel null when even the BEGIN line is damaged */
    static InvalidApiKeyException pemIncomplete(String beginLabel) {
        return new InvalidApiKeyException(Problem.PEM_INCOMPLETE,
                "The key file is incomplete: it has a "
                        + (beginLabel == null ? "-----BEGIN" : "-----BEGIN " + PemLabels.printable(beginLabel) + "-----")
                        + " line without the matching -----END line, so it was probably cut off or edited."
                        + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException unknownPemType(String label) {
        String what = PemLabels.isSshKey(label)
                ? "an SSH private key"
                : "a “" + PemLabels.printable(label) + "” block";
        return new InvalidApiKeyException(Problem.UNKNOWN_PEM_TYPE,
                "This file contains " + what + ", not an App Store Connect API key." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException multipleBlocks(List<String> labels) {
        StringBuilder names = new StringBuilder();
        for (String label : labels) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(PemLabels.printable(label));
        }
        return new InvalidApiKeyException(Problem.MULTIPLE_BLOCKS,
                "This file contains " + labels.size() + " blocks (" + names + "), but an App Store Connect"
                        + " API key file contains exactly one PRIVATE KEY block." + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException brokenBase64() {
        return new InvalidApiKeyException(Problem.BROKEN_BASE64,
                "The key file is damaged: the text between its BEGIN and END lines has been altered"
                        + " (it contains characters, or has a length, that a key cannot have)."
                        + UPLOAD_ORIGINAL + REISSUE);
    }

    static InvalidApiKeyException malformedKey() {
        return new InvalidApiKeyException(Problem.MALFORMED_KEY,
                "The key file is damaged: it has the right BEGIN and END lines, but what is between them"
                        + " is not a valid private key." + UPLOAD_ORIGINAL + REISSUE);
    }

    static InvalidApiKeyException encryptedKey() {
        return new InvalidApiKeyException(Problem.ENCRYPTED_KEY,
                "This key file is password-protected (encrypted). App Store Connect never encrypts its API key"
                        + " files, so this copy was re-exported by another tool." + UPLOAD_ORIGINAL + REISSUE);
    }

    static InvalidApiKeyException rsaKey() {
        return new InvalidApiKeyException(Problem.RSA_KEY, "This is an RSA private key." + ES256 + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException ed25519Key() {
        return new InvalidApiKeyException(Problem.ED25519_KEY,
                "This is an Ed25519 private key." + ES256 + UPLOAD_ORIGINAL);
    }

    /** @param whatItIs such as "a DSA private key"; built from fixed names or an OID, never from upload text */
    static InvalidApiKeyException unsupportedAlgorithm(String whatItIs) {
        return new InvalidApiKeyException(Problem.UNSUPPORTED_ALGORITHM,
                "This is " + whatItIs + "." + ES256 + UPLOAD_ORIGINAL);
    }

    /** @param curve such as "the P-384 (secp384r1) curve"; built from fixed names or an OID */
    static InvalidApiKeyException wrongCurve(String curve) {
        return new InvalidApiKeyException(Problem.WRONG_CURVE,
                "This is an elliptic-curve private key on " + curve + "." + ES256 + UPLOAD_ORIGINAL);
    }

    static InvalidApiKeyException scalarOutOfRange() {
        return new InvalidApiKeyException(Problem.SCALAR_OUT_OF_RANGE,
                "The key file is damaged: its private key value is outside the range a P-256 key can have,"
                        + " so it cannot sign anything." + UPLOAD_ORIGINAL + REISSUE);
    }

    static InvalidApiKeyException publicKeyMismatch() {
        return new InvalidApiKeyException(Problem.PUBLIC_KEY_MISMATCH,
                "The key file is damaged: its public part does not match its private part."
                        + UPLOAD_ORIGINAL + REISSUE);
    }

    static InvalidApiKeyException selfTestFailed() {
        return new InvalidApiKeyException(Problem.SELF_TEST_FAILED,
                "The key could not sign and verify a test message, so App Store Connect would not accept it."
                        + UPLOAD_ORIGINAL + REISSUE);
    }
}
