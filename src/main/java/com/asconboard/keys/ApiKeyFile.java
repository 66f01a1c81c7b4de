package com.asconboard.keys;

import com.asconboard.i18n.Message;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Validates an uploaded App Store Connect API key file ({@code AuthKey_<KEYID>.p8}) and returns the key.
 *
 * <p>Accepted: exactly one PKCS#8 {@code PRIVATE KEY} block holding an EC P-256 key, as UTF-8 or
 * UTF-16 with or without byte order mark, with any line endings, indentation or line wrapping, and
 * with text around the block. Also accepted and converted to PKCS#8: a SEC1 {@code EC PRIVATE KEY}
 * block on P-256, which is what OpenSSL writes when someone converts Apple's file; it is the same key,
 * and refusing it would only push the customer to revoke a working key. An {@code EC PARAMETERS}
 * block next to it (as {@code openssl ecparam} writes) is ignored. Any other second block is refused,
 * since we could not tell which one the customer meant.
 *
 * <p>Nothing is written to disk. {@code content} is not modified; the caller should wipe it.
 */
public final class ApiKeyFile {

    /** Apple's files are about 250 bytes; anything this large is certainly something else. */
    static final int MAX_BYTES = 64 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFile() {
    }

    /**
     * @param content       the uploaded bytes
     * @param fileName      the uploaded file's name as the browser sent it, or null
     * @param expectedKeyId the key id the customer told us (any case), or null if not known yet
     * @throws InvalidApiKeyException   with a message meant for the customer's Apple account admin
     * @throws IllegalArgumentException if {@code expectedKeyId} is not letters and digits
     */
    public static ApiKey parse(byte[] content, String fileName, String expectedKeyId) throws InvalidApiKeyException {
        String expected = KeyFileName.normaliseKeyId(expectedKeyId);
        KeyFileName name = KeyFileName.of(fileName);
        if (name.isSubscriptionKey()) {
            throw InvalidApiKeyException.subscriptionKey();
        }
        if (expected != null && name.keyId() != null && !expected.equals(name.keyId())) {
            throw InvalidApiKeyException.keyIdMismatch(name.keyId(), expected);
        }
        if (content == null || content.length == 0) {
            throw InvalidApiKeyException.emptyFile();
        }
        if (content.length > MAX_BYTES) {
            throw InvalidApiKeyException.fileTooLarge(content.length);
        }

        KeyStructure.Parts parts = readKey(content);
        BigInteger d = parts.d();
        if (!P256.isValidScalar(d)) {
            throw InvalidApiKeyException.scalarOutOfRange();
        }
        ECPoint q = P256.publicPoint(d);
        if (parts.embeddedPublicPoint() != null && !q.equals(decodeOrNull(parts.embeddedPublicPoint()))) {
            throw InvalidApiKeyException.publicKeyMismatch();
        }

        ECPrivateKey privateKey;
        ECPublicKey publicKey;
        try {
            privateKey = P256.privateKey(d);
            publicKey = P256.publicKey(q);
        } catch (GeneralSecurityException e) {
            // The values were validated above, so this is the JDK refusing P-256, not a customer problem.
            throw new IllegalStateException("the JDK's EC provider refused a valid P-256 key", e);
        }
        selfTest(privateKey, publicKey);

        if (expected == null && name.hasMalformedKeyId()) {
            // The name was to supply the Key ID, and what it holds cannot be one.
            throw InvalidApiKeyException.keyIdInFileNameMalformed();
        }
        String keyId = expected != null ? expected : name.keyId();
        boolean fromFileName = expected == null && name.keyId() != null;
        return new ApiKey(privateKey, publicKey, keyId, fromFileName, P256.pkcs8(d, q));
    }

    /** Signs a random challenge and verifies it, proving the pair works before we keep it. */
    static void selfTest(PrivateKey privateKey, PublicKey publicKey) throws InvalidApiKeyException {
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey, RANDOM);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw InvalidApiKeyException.selfTestFailed();
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw InvalidApiKeyException.selfTestFailed();
        }
    }

    private static KeyStructure.Parts readKey(byte[] content) throws InvalidApiKeyException {
        char[] text = UploadText.decode(content);
        if (text == null) {
            throw BinaryUpload.rejection(content);
        }
        List<PemBlock> blocks = List.of();
        try {
            if (UploadText.isBlank(text)) {
                throw InvalidApiKeyException.emptyFile();
            }
            blocks = PemArmor.read(text);
            if (blocks.isEmpty()) {
                throw PemArmor.isBareBase64(text)
                        ? InvalidApiKeyException.missingPemLines()
                        : InvalidApiKeyException.notPem();
            }
            return readBlocks(blocks);
        } finally {
            Arrays.fill(text, '\0');
            blocks.forEach(PemBlock::wipe);
        }
    }

    private static KeyStructure.Parts readBlocks(List<PemBlock> blocks) throws InvalidApiKeyException {
        PemBlock parameters = null;
        List<PemBlock> others = new ArrayList<>();
        for (PemBlock block : blocks) {
            if (PemLabels.EC_PARAMETERS.equals(block.label()) && parameters == null) {
                parameters = block;
            } else {
                others.add(block);
            }
        }
        if (others.isEmpty()) {
            throw InvalidApiKeyException.unknownPemType(PemLabels.EC_PARAMETERS);
        }
        if (others.size() > 1) {
            if (others.stream().allMatch(b -> PemLabels.isCertificate(b.label()))) {
                throw InvalidApiKeyException.certificate();
            }
            throw InvalidApiKeyException.multipleBlocks(blocks.stream().map(PemBlock::label).toList());
        }

        PemBlock key = others.get(0);
        String label = key.label();
        switch (label) {
            case PemLabels.PRIVATE_KEY:
                if (key.hasEncryptedHeader()) {
                    throw InvalidApiKeyException.encryptedKey();
                }
                return KeyStructure.fromPkcs8(key.der());
            case PemLabels.EC_PRIVATE_KEY:
                if (key.hasEncryptedHeader()) {
                    throw InvalidApiKeyException.encryptedKey();
                }
                return KeyStructure.fromSec1(key.der(), parameters == null ? null : parameters.der());
            case PemLabels.ENCRYPTED_PRIVATE_KEY:
                throw InvalidApiKeyException.encryptedKey();
            case PemLabels.RSA_PRIVATE_KEY:
                throw InvalidApiKeyException.rsaKey();
            case PemLabels.DSA_PRIVATE_KEY:
                throw InvalidApiKeyException.unsupportedAlgorithm(Message.of("key.kind.dsa"));
            default:
                if (PemLabels.isCertificate(label)) {
                    throw InvalidApiKeyException.certificate();
                }
                if (PemLabels.isCertificateRequest(label)) {
                    throw InvalidApiKeyException.certificateRequest();
                }
                if (PemLabels.isPublicKey(label)) {
                    throw InvalidApiKeyException.publicKey();
                }
                throw InvalidApiKeyException.unknownPemType(label);
        }
    }

    private static ECPoint decodeOrNull(byte[] encodedPoint) {
        try {
            return P256.decodePoint(encodedPoint);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
