package com.asconboard.keys;

import static com.asconboard.keys.TestKeys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.asconboard.keys.InvalidApiKeyException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Files a customer may really pick instead of Apple's {@code .p8}, each uploaded and answered with the
 * explanation that fits it: the key in binary form, a binary CSR, keys of other algorithms, odd text
 * encodings, an encrypted key under the plain label, and files at the size limit.
 */
class UploadedKeyKindsTest {
    private static final String FILE_NAME = "AuthKey_ABC1234567.p8";
    private static final String UPLOAD_ORIGINAL = "Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it "
            + "from App Store Connect (Users and Access → Integrations → App Store Connect API → Team Keys).";
    private static final String ES256 = "App Store Connect API keys are elliptic-curve keys on the P-256 curve (ES256), "
            + "so this is not one.";
    private static final String BINARY = "This is a binary file (for example a .p12 or .cer export), not an App Store "
            + "Connect API key. The key file is a short text file that starts with -----BEGIN PRIVATE KEY-----. "
            + UPLOAD_ORIGINAL;

    private final KeyPair pair = TestKeys.ecP256();

    @Test
    void a_key_in_binary_der_form_is_refused_as_a_binary_file() {
        byte[] der = TestKeys.applePkcs8(pair);

        assertThat(refused(der, Problem.BINARY_FILE)).isEqualTo(BINARY);
    }

    @Test
    void a_binary_der_csr_is_refused_as_a_certificate_signing_request() {
        byte[] der = Base64.getDecoder().decode(TestKeys.body(TestKeys.csrPem()));

        assertThat(refused(der, Problem.CERTIFICATE_REQUEST)).isEqualTo("This is a certificate signing request (CSR), "
                + "not an App Store Connect API key. " + UPLOAD_ORIGINAL);
    }

    @Test
    void a_dsa_key_is_refused_naming_dsa() {
        String pem = TestKeys.pkcs8Pem(generate("DSA").getPrivate());

        assertThat(refused(utf8(pem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is a DSA private key. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void a_dsa_private_key_block_is_refused_naming_dsa() {
        String pem = TestKeys.pem("DSA PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});

        assertThat(refused(utf8(pem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is a DSA private key. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void an_x25519_key_is_refused_naming_x25519() {
        String pem = TestKeys.pkcs8Pem(generate("X25519").getPrivate());

        assertThat(refused(utf8(pem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is an X25519 private key. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void an_ed448_key_is_refused_naming_ed448() {
        String pem = TestKeys.pkcs8Pem(generate("Ed448").getPrivate());

        assertThat(refused(utf8(pem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is an Ed448 private key. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void an_x448_key_is_refused_naming_x448() {
        String pem = TestKeys.pkcs8Pem(generate("X448").getPrivate());

        assertThat(refused(utf8(pem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is an X448 private key. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void a_utf16_big_endian_file_without_byte_order_mark_is_accepted() throws Exception {
        byte[] content = TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_16BE);

        assertThat(content[0]).as("no byte order mark").isZero();
        assertSameKey(ApiKeyFile.parse(content, FILE_NAME, null));
    }

    @Test
    void an_encrypted_key_labelled_plain_private_key_is_refused_as_encrypted() {
        String relabelled = TestKeys.encryptedPkcs8Pem(pair.getPrivate())
                .replace("ENCRYPTED PRIVATE KEY", "PRIVATE KEY");

        assertThat(refused(utf8(relabelled), Problem.ENCRYPTED_KEY)).isEqualTo("This key file is password-protected "
                + "(encrypted). App Store Connect never encrypts its API key files, so this copy was re-exported by "
                + "another tool. " + UPLOAD_ORIGINAL + " Apple lets you download a key file only once: if you no "
                + "longer have the original, revoke this key there and generate a new one.");
    }

    @Test
    void a_file_of_exactly_64_kib_is_read_and_one_byte_more_is_refused_as_too_large() throws Exception {
        byte[] p8 = utf8(TestKeys.p8Pem(pair));
        byte[] limit = new byte[ApiKeyFile.MAX_BYTES];
        Arrays.fill(limit, (byte) ' ');
        System.arraycopy(p8, 0, limit, 0, p8.length);
        byte[] over = Arrays.copyOf(limit, limit.length + 1);
        over[over.length - 1] = ' ';

        assertThat(ApiKeyFile.MAX_BYTES).isEqualTo(64 * 1024);
        assertSameKey(ApiKeyFile.parse(limit, FILE_NAME, null));
        assertThat(refused(over, Problem.FILE_TOO_LARGE)).startsWith("The uploaded file is 64 KB, but");
    }

    private void assertSameKey(ApiKey key) {
        assertThat(key.privateKey().getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
        assertThat(key.keyId()).isEqualTo("ABC1234567");
    }

    /** The refusal's English text, after checking its problem code. */
    private static String refused(byte[] content, Problem expected) {
        try {
            ApiKey key = ApiKeyFile.parse(content, FILE_NAME, null);
            return fail("expected " + expected + " but the file was accepted as " + key);
        } catch (InvalidApiKeyException e) {
            assertThat(e.problem()).isEqualTo(expected);
            return e.getMessage();
        }
    }

    private static KeyPair generate(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
