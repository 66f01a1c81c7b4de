package com.asconboard.keys;

import com.asconboard.i18n.Message;
import java.util.List;
import java.util.Objects;

/**
 * An uploaded key file was refused. {@link #problem()} is a stable code for program logic;
 * {@link #getMessage()} is written for the customer's Apple account admin and may be shown as is
 * (English); {@link #text()} is the same explanation to be rendered in the page's language.
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

    private final Problem problem;
    private final transient Message text;

    InvalidApiKeyException(Problem problem, Message text) {
        super(text.english());
        this.problem = Objects.requireNonNull(problem);
        this.text = text;
    }

    public Problem problem() {
        return problem;
    }

    /** The same explanation as {@link #getMessage()}, by message key, to be shown in the customer's language. */
    public Message text() {
        return text;
    }

    // The texts themselves live in the i18n/upload bundles, under key.*; these say which one fits.

    private static Message uploadOriginal() {
        return Message.of("key.upload_original", Message.of("key.where"));
    }

    private static Message reissue() {
        return Message.of("key.reissue");
    }

    private static Message es256() {
        return Message.of("key.es256");
    }

    static InvalidApiKeyException emptyFile() {
        return new InvalidApiKeyException(Problem.EMPTY_FILE, Message.of("key.empty_file", uploadOriginal()));
    }

    static InvalidApiKeyException fileTooLarge(int bytes) {
        return new InvalidApiKeyException(Problem.FILE_TOO_LARGE,
                Message.of("key.file_too_large", bytes / 1024, uploadOriginal()));
    }

    static InvalidApiKeyException subscriptionKey() {
        return new InvalidApiKeyException(Problem.SUBSCRIPTION_KEY,
                Message.of("key.subscription_key", Message.of("key.where")));
    }

    static InvalidApiKeyException keyIdMismatch(String fileKeyId, String expectedKeyId) {
        return new InvalidApiKeyException(Problem.KEY_ID_MISMATCH,
                Message.of("key.key_id_mismatch", fileKeyId, expectedKeyId));
    }

    static InvalidApiKeyException keyIdInFileNameMalformed() {
        // The id is not repeated: it can be anything, of any length.
        return new InvalidApiKeyException(Problem.KEY_ID_IN_FILE_NAME_MALFORMED,
                Message.of("key.key_id_in_file_name_malformed"));
    }

    static InvalidApiKeyException binaryFile() {
        return new InvalidApiKeyException(Problem.BINARY_FILE, Message.of("key.binary_file", uploadOriginal()));
    }

    static InvalidApiKeyException pkcs12() {
        return new InvalidApiKeyException(Problem.PKCS12, Message.of("key.pkcs12", uploadOriginal()));
    }

    static InvalidApiKeyException certificate() {
        return new InvalidApiKeyException(Problem.CERTIFICATE, Message.of("key.certificate", uploadOriginal()));
    }

    static InvalidApiKeyException certificateRequest() {
        return new InvalidApiKeyException(Problem.CERTIFICATE_REQUEST,
                Message.of("key.certificate_request", uploadOriginal()));
    }

    static InvalidApiKeyException publicKey() {
        return new InvalidApiKeyException(Problem.PUBLIC_KEY,
                Message.of("key.public_key", Message.of("key.where"), reissue()));
    }

    static InvalidApiKeyException notPem() {
        return new InvalidApiKeyException(Problem.NOT_PEM, Message.of("key.not_pem", uploadOriginal()));
    }

    static InvalidApiKeyException missingPemLines() {
        return new InvalidApiKeyException(Problem.MISSING_PEM_LINES,
                Message.of("key.missing_pem_lines", uploadOriginal()));
    }

    /** @param beginLabel null when even the BEGIN line is damaged */
    static InvalidApiKeyException pemIncomplete(String beginLabel) {
        String beginLine = beginLabel == null ? "-----BEGIN" : "-----BEGIN " + PemLabels.printable(beginLabel) + "-----";
        return new InvalidApiKeyException(Problem.PEM_INCOMPLETE,
                Message.of("key.pem_incomplete", beginLine, uploadOriginal()));
    }

    static InvalidApiKeyException unknownPemType(String label) {
        Message what = PemLabels.isSshKey(label)
                ? Message.of("key.kind.ssh")
                : Message.of("key.kind.block", PemLabels.printable(label));
        return new InvalidApiKeyException(Problem.UNKNOWN_PEM_TYPE,
                Message.of("key.unknown_pem_type", what, uploadOriginal()));
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
                Message.of("key.multiple_blocks", labels.size(), names.toString(), uploadOriginal()));
    }

    static InvalidApiKeyException brokenBase64() {
        return new InvalidApiKeyException(Problem.BROKEN_BASE64,
                Message.of("key.broken_base64", uploadOriginal(), reissue()));
    }

    static InvalidApiKeyException malformedKey() {
        return new InvalidApiKeyException(Problem.MALFORMED_KEY,
                Message.of("key.malformed_key", uploadOriginal(), reissue()));
    }

    static InvalidApiKeyException encryptedKey() {
        return new InvalidApiKeyException(Problem.ENCRYPTED_KEY,
                Message.of("key.encrypted_key", uploadOriginal(), reissue()));
    }

    static InvalidApiKeyException rsaKey() {
        return new InvalidApiKeyException(Problem.RSA_KEY, Message.of("key.rsa_key", es256(), uploadOriginal()));
    }

    static InvalidApiKeyException ed25519Key() {
        return new InvalidApiKeyException(Problem.ED25519_KEY,
                Message.of("key.ed25519_key", es256(), uploadOriginal()));
    }

    /** @param whatItIs such as {@code key.kind.dsa} ("a DSA private key"); never built from upload text */
    static InvalidApiKeyException unsupportedAlgorithm(Message whatItIs) {
        return new InvalidApiKeyException(Problem.UNSUPPORTED_ALGORITHM,
                Message.of("key.unsupported_algorithm", whatItIs, es256(), uploadOriginal()));
    }

    /** @param curve such as {@code key.curve.pair} ("the P-384 (secp384r1) curve"); from fixed names or an OID */
    static InvalidApiKeyException wrongCurve(Message curve) {
        return new InvalidApiKeyException(Problem.WRONG_CURVE,
                Message.of("key.wrong_curve", curve, es256(), uploadOriginal()));
    }

    static InvalidApiKeyException scalarOutOfRange() {
        return new InvalidApiKeyException(Problem.SCALAR_OUT_OF_RANGE,
                Message.of("key.scalar_out_of_range", uploadOriginal(), reissue()));
    }

    static InvalidApiKeyException publicKeyMismatch() {
        return new InvalidApiKeyException(Problem.PUBLIC_KEY_MISMATCH,
                Message.of("key.public_key_mismatch", uploadOriginal(), reissue()));
    }

    static InvalidApiKeyException selfTestFailed() {
        return new InvalidApiKeyException(Problem.SELF_TEST_FAILED,
                Message.of("key.self_test_failed", uploadOriginal(), reissue()));
    }
}
