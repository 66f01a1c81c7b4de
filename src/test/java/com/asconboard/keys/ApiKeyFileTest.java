package com.asconboard.keys;

import static com.asconboard.keys.TestKeys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.asconboard.keys.InvalidApiKeyException.Problem;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

class ApiKeyFileTest {

    private static final String KEY_ID = "ABC1234567";
    private static final String FILE_NAME = "AuthKey_" + KEY_ID + ".p8";
    private static final BigInteger P256_ORDER = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1).getN();
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{16,}");

    private final KeyPair pair = TestKeys.ecP256();
    private final String p8 = TestKeys.p8Pem(pair);

    // ---- accepted files

    @Test
    void accepts_apple_style_p8_and_returns_the_same_key_pair() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), FILE_NAME, KEY_ID);

        assertSameKey(key);
        assertThat(key.keyId()).isEqualTo(KEY_ID);
        assertThat(key.keyIdFromFileName()).isFalse();
    }

    @Test
    void takes_key_id_from_file_name_when_none_is_expected() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), FILE_NAME, null);

        assertThat(key.keyId()).isEqualTo(KEY_ID);
        assertThat(key.keyIdFromFileName()).isTrue();
    }

    @Test
    void uses_expected_key_id_when_file_name_has_none() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), "key.p8", KEY_ID);

        assertThat(key.keyId()).isEqualTo(KEY_ID);
        assertThat(key.keyIdFromFileName()).isFalse();
    }

    @Test
    void key_id_is_null_without_expected_id_or_auth_key_file_name() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), null, null);

        assertThat(key.keyId()).isNull();
        assertThat(key.keyIdFromFileName()).isFalse();
    }

    @Test
    void compares_key_ids_case_insensitively_and_upper_cases_them() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), "authkey_abc1234567.p8", " abc1234567 ");

        assertThat(key.keyId()).isEqualTo(KEY_ID);
    }

    @Test
    void reads_key_id_from_browser_renamed_copies_and_full_client_paths() throws Exception {
        assertThat(ApiKeyFile.parse(utf8(p8), "AuthKey_ABC1234567 (1).p8", null).keyId()).isEqualTo(KEY_ID);
        assertThat(ApiKeyFile.parse(utf8(p8), "AuthKey_ABC1234567 2.p8", null).keyId()).isEqualTo(KEY_ID);
        assertThat(ApiKeyFile.parse(utf8(p8), "AuthKey_ABC1234567-1.p8", null).keyId()).isEqualTo(KEY_ID);
        assertThat(ApiKeyFile.parse(utf8(p8), "C:\\fakepath\\AuthKey_ABC1234567.p8", null).keyId()).isEqualTo(KEY_ID);
    }

    @Test
    void refuses_an_expected_key_id_that_is_not_letters_and_digits() {
        assertThatThrownBy(() -> ApiKeyFile.parse(utf8(p8), FILE_NAME, "ABC-123"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void computes_the_public_key_when_the_file_has_none() throws Exception {
        // The JDK's own PKCS#8 encoding leaves out the optional public point.
        ApiKey key = ApiKeyFile.parse(utf8(TestKeys.pkcs8Pem(pair.getPrivate())), FILE_NAME, null);

        assertSameKey(key);
    }

    @Test
    void accepts_p256_given_by_explicit_curve_parameters() throws Exception {
        var explicit = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1).toASN1Primitive();
        byte[] der = TestKeys.pkcs8(scalar(), point(), explicit);

        assertSameKey(ApiKeyFile.parse(utf8(TestKeys.pem("PRIVATE KEY", der)), FILE_NAME, null));
    }

    @Test
    void normalises_pkcs8_to_the_shape_of_apples_files_and_hands_out_copies() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(TestKeys.pkcs8Pem(pair.getPrivate())), FILE_NAME, null);

        byte[] first = key.pkcs8();
        assertThat(first).isEqualTo(TestKeys.applePkcs8(pair));
        first[0] = 0;
        assertThat(key.pkcs8()).isEqualTo(TestKeys.applePkcs8(pair));
        ECPrivateKey reloaded = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(key.pkcs8()));
        assertThat(reloaded.getS()).isEqualTo(scalar());
    }

    @Test
    void destroy_wipes_the_pkcs8_copy() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), FILE_NAME, null);

        key.destroy();

        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(key::pkcs8).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void to_string_shows_the_key_id_but_no_key_material() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), FILE_NAME, null);

        assertThat(key.toString())
                .contains(KEY_ID)
                .doesNotContain(scalar().toString(16))
                .doesNotContain(scalar().toString())
                .doesNotContainPattern(BASE64_RUN);
    }

    @Test
    void parsed_key_signs_an_es256_token_that_its_public_key_verifies() throws Exception {
        ApiKey key = ApiKeyFile.parse(utf8(p8), FILE_NAME, null);

        String jwt = Jwts.builder()
                .header().keyId(key.keyId()).and()
                .issuer("57246542-96fe-1a63-e053-0824d011072a")
                .audience().add("appstoreconnect-v1").and()
                .signWith(key.privateKey(), Jwts.SIG.ES256)
                .compact();

        Claims claims = Jwts.parser().verifyWith(key.publicKey()).build().parseSignedClaims(jwt).getPayload();
        assertThat(claims.getAudience()).containsExactly("appstoreconnect-v1");
    }

    // ---- encodings that are accepted

    @Test
    void accepts_utf8_byte_order_mark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        assertSameKey(parse(concat(bom, utf8(p8))));
    }

    @Test
    void accepts_utf16_little_endian_with_byte_order_mark() throws Exception {
        byte[] bom = {(byte) 0xFF, (byte) 0xFE};
        assertSameKey(parse(concat(bom, p8.getBytes(StandardCharsets.UTF_16LE))));
    }

    @Test
    void accepts_utf16_big_endian_with_byte_order_mark() throws Exception {
        byte[] bom = {(byte) 0xFE, (byte) 0xFF};
        assertSameKey(parse(concat(bom, p8.getBytes(StandardCharsets.UTF_16BE))));
    }

    @Test
    void accepts_utf16_little_endian_without_byte_order_mark() throws Exception {
        assertSameKey(parse(p8.getBytes(StandardCharsets.UTF_16LE)));
    }

    @Test
    void accepts_leading_spaces_blank_lines_and_indentation() throws Exception {
        String indented = "\n  \n\t\n" + p8.lines().map(line -> "   " + line).reduce("", (a, b) -> a + b + "\n");
        assertSameKey(parse(utf8(indented)));
    }

    @Test
    void accepts_crlf_line_endings() throws Exception {
        assertSameKey(parse(utf8(p8.replace("\n", "\r\n"))));
    }

    @Test
    void accepts_classic_mac_cr_line_endings() throws Exception {
        assertSameKey(parse(utf8(p8.replace("\n", "\r"))));
    }

    @Test
    void accepts_trailing_whitespace_on_lines_and_at_the_end() throws Exception {
        assertSameKey(parse(utf8(p8.replace("\n", "  \t\n") + "\n\n   \n")));
    }

    @Test
    void accepts_a_missing_final_newline() throws Exception {
        assertSameKey(parse(utf8(p8.strip())));
    }

    @Test
    void accepts_body_rewrapped_at_other_widths() throws Exception {
        String body = TestKeys.body(p8);
        for (int width : new int[] {76, 40, 17, 1000}) {
            String rewrapped = "-----BEGIN PRIVATE KEY-----\n" + wrap(body, width) + "-----END PRIVATE KEY-----\n";
            assertSameKey(parse(utf8(rewrapped)));
        }
    }

    @Test
    void accepts_the_whole_file_pasted_onto_one_line() throws Exception {
        String oneLine = "-----BEGIN PRIVATE KEY----- " + TestKeys.body(p8) + " -----END PRIVATE KEY-----";
        assertSameKey(parse(utf8(oneLine)));
    }

    @Test
    void accepts_text_around_the_block() throws Exception {
        assertSameKey(parse(utf8("Key for the App Store Connect API\n\n" + p8 + "\n(do not share)\n")));
    }

    // ---- SEC1

    @Test
    void accepts_sec1_ec_private_key_and_converts_it_to_pkcs8() throws Exception {
        ApiKey key = parse(utf8(TestKeys.sec1Pem(pair)));

        assertSameKey(key);
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.pkcs8());
        assertThat(info.getPrivateKeyAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
        assertThat(key.pkcs8()).isEqualTo(TestKeys.applePkcs8(pair));
    }

    @Test
    void accepts_sec1_preceded_by_an_ec_parameters_block() throws Exception {
        assertSameKey(parse(utf8(TestKeys.sec1WithParametersPem(pair))));
    }

    @Test
    void rejects_sec1_key_on_p384_with_message_naming_the_curve() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.sec1Pem(TestKeys.ecP384())), Problem.WRONG_CURVE);

        assertThat(e.getMessage()).contains("P-384").contains("P-256").contains("ES256");
    }

    // ---- rejected: not a key file at all

    @Test
    void rejects_zero_byte_file_as_empty() {
        InvalidApiKeyException e = rejected(new byte[0], Problem.EMPTY_FILE);

        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void rejects_whitespace_only_file_as_empty() {
        InvalidApiKeyException e = rejected(utf8(" \r\n\t\n  "), Problem.EMPTY_FILE);

        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void rejects_a_file_far_larger_than_a_key_file() {
        byte[] big = new byte[ApiKeyFile.MAX_BYTES + 1];
        Arrays.fill(big, (byte) 'A');

        InvalidApiKeyException e = rejected(big, Problem.FILE_TOO_LARGE);

        assertThat(e.getMessage()).contains("KB").contains("250 bytes");
    }

    @Test
    void rejects_certificate_pem_saying_it_is_a_certificate_not_the_key() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.selfSignedCertPem()), Problem.CERTIFICATE);

        assertThat(e.getMessage()).contains("This is a certificate, not an App Store Connect API key");
    }

    @Test
    void rejects_a_certificate_chain_as_a_certificate() {
        String chain = TestKeys.selfSignedCertPem() + TestKeys.selfSignedCertPem();

        rejected(utf8(chain), Problem.CERTIFICATE);
    }

    @Test
    void rejects_binary_der_certificate_as_a_certificate() throws Exception {
        byte[] der = java.util.Base64.getDecoder().decode(TestKeys.body(TestKeys.selfSignedCertPem()));

        rejected(der, Problem.CERTIFICATE);
    }

    @Test
    void rejects_p12_saying_it_is_a_p12_file() {
        InvalidApiKeyException e = rejected(TestKeys.p12Bytes(), Problem.PKCS12);

        assertThat(e.getMessage()).contains(".p12").contains("PKCS#12");
    }

    @Test
    void rejects_truncated_p12_as_a_binary_file() {
        byte[] p12 = TestKeys.p12Bytes();

        InvalidApiKeyException e = rejected(Arrays.copyOf(p12, p12.length / 2), Problem.BINARY_FILE);

        assertThat(e.getMessage()).contains("binary file").contains(".p12");
    }

    @Test
    void rejects_certificate_signing_request() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.csrPem()), Problem.CERTIFICATE_REQUEST);

        assertThat(e.getMessage()).contains("certificate signing request");
    }

    @Test
    void rejects_random_bytes_as_a_binary_file() {
        byte[] noise = new byte[300];
        new Random(7).nextBytes(noise);

        InvalidApiKeyException e = rejected(noise, Problem.BINARY_FILE);

        assertThat(e.getMessage()).contains("binary file").contains("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void rejects_plain_text_without_pem_armour() {
        InvalidApiKeyException e = rejected(utf8("Issuer ID: 57246542-96fe-1a63\nsee attached\n"), Problem.NOT_PEM);

        assertThat(e.getMessage()).contains("does not contain a key").contains("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void rejects_bare_base64_body_saying_the_begin_and_end_lines_are_missing() {
        InvalidApiKeyException e = rejected(utf8(wrap(TestKeys.body(p8), 64)), Problem.MISSING_PEM_LINES);

        assertThat(e.getMessage()).contains("without its -----BEGIN PRIVATE KEY-----");
    }

    @Test
    void rejects_public_key_saying_the_private_key_file_is_needed() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.publicKeyPem(pair.getPublic())), Problem.PUBLIC_KEY);

        assertThat(e.getMessage()).contains("This is a public key").contains("private key file");
    }

    @Test
    void rejects_openssh_key_saying_it_is_an_ssh_key() {
        String ssh = TestKeys.pem("OPENSSH PRIVATE KEY", TestKeys.applePkcs8(pair));

        InvalidApiKeyException e = rejected(utf8(ssh), Problem.UNKNOWN_PEM_TYPE);

        assertThat(e.getMessage()).contains("SSH private key");
    }

    // ---- rejected: damaged key files

    @Test
    void rejects_broken_base64_body_as_damaged() {
        String body = TestKeys.body(p8);
        String broken = p8.replace(body.substring(20, 30), body.substring(20, 25) + "*" + body.substring(26, 30));

        InvalidApiKeyException e = rejected(utf8(broken), Problem.BROKEN_BASE64);

        assertThat(e.getMessage()).contains("damaged").contains("altered");
    }

    @Test
    void rejects_base64_body_of_impossible_length_as_damaged() {
        String body = TestKeys.body(p8);
        String cut = "-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 61) + "\n-----END PRIVATE KEY-----\n";

        rejected(utf8(cut), Problem.BROKEN_BASE64);
    }

    @Test
    void rejects_file_cut_off_before_its_end_line() {
        String cut = p8.substring(0, p8.indexOf("-----END"));

        InvalidApiKeyException e = rejected(utf8(cut), Problem.PEM_INCOMPLETE);

        assertThat(e.getMessage()).contains("incomplete").contains("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void rejects_pem_body_that_is_not_a_pkcs8_key() {
        byte[] noise = new byte[138];
        new Random(11).nextBytes(noise);

        InvalidApiKeyException e = rejected(utf8(TestKeys.pem("PRIVATE KEY", noise)), Problem.MALFORMED_KEY);

        assertThat(e.getMessage()).contains("damaged").contains("not a valid private key");
    }

    @Test
    void rejects_pkcs8_whose_inner_curve_contradicts_the_outer_one() throws Exception {
        PrivateKeyInfo apple = PrivateKeyInfo.getInstance(TestKeys.applePkcs8(pair));
        byte[] inner = TestKeys.pkcs8(scalar(), point(), SECObjectIdentifiers.secp384r1);
        PrivateKeyInfo mixed = new PrivateKeyInfo(apple.getPrivateKeyAlgorithm(),
                PrivateKeyInfo.getInstance(inner).parsePrivateKey());

        rejected(utf8(TestKeys.pem("PRIVATE KEY", mixed.getEncoded(ASN1Encoding.DER))), Problem.MALFORMED_KEY);
    }

    @Test
    void rejects_zero_private_scalar_as_out_of_range() {
        byte[] der = TestKeys.pkcs8(BigInteger.ZERO, null, SECObjectIdentifiers.secp256r1);

        InvalidApiKeyException e = rejected(utf8(TestKeys.pem("PRIVATE KEY", der)), Problem.SCALAR_OUT_OF_RANGE);

        assertThat(e.getMessage()).contains("outside the range");
    }

    @Test
    void rejects_private_scalar_equal_to_the_curve_order_as_out_of_range() {
        byte[] der = TestKeys.pkcs8(P256_ORDER, null, SECObjectIdentifiers.secp256r1);

        InvalidApiKeyException e = rejected(utf8(TestKeys.pem("PRIVATE KEY", der)), Problem.SCALAR_OUT_OF_RANGE);

        assertThat(e.getMessage()).contains("outside the range").contains("P-256");
    }

    @Test
    void rejects_embedded_public_key_that_does_not_match_the_private_key() {
        byte[] otherPoint = TestKeys.uncompressedPoint((ECPublicKey) TestKeys.ecP256().getPublic());
        byte[] der = TestKeys.pkcs8(scalar(), otherPoint, SECObjectIdentifiers.secp256r1);

        InvalidApiKeyException e = rejected(utf8(TestKeys.pem("PRIVATE KEY", der)), Problem.PUBLIC_KEY_MISMATCH);

        assertThat(e.getMessage()).contains("damaged: its public part does not match its private part");
    }

    @Test
    void rejects_embedded_public_point_that_is_not_on_the_curve() {
        byte[] bent = point();
        bent[64] ^= 1;
        byte[] der = TestKeys.pkcs8(scalar(), bent, SECObjectIdentifiers.secp256r1);

        rejected(utf8(TestKeys.pem("PRIVATE KEY", der)), Problem.PUBLIC_KEY_MISMATCH);
    }

    @Test
    void rejects_encrypted_pkcs8_saying_apple_never_encrypts_its_keys() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.encryptedPkcs8Pem(pair.getPrivate())), Problem.ENCRYPTED_KEY);

        assertThat(e.getMessage()).contains("password-protected").contains("never encrypts")
                .contains("exactly as you downloaded it");
    }

    @Test
    void rejects_legacy_openssl_encrypted_ec_key() {
        String sec1 = TestKeys.sec1Pem(pair);
        String encrypted = sec1.replace("-----BEGIN EC PRIVATE KEY-----\n",
                "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n");

        rejected(utf8(encrypted), Problem.ENCRYPTED_KEY);
    }

    // ---- rejected: a key, but not an App Store Connect one

    @Test
    void rejects_rsa_key_with_message_naming_rsa() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.pkcs8Pem(TestKeys.rsa2048().getPrivate())), Problem.RSA_KEY);

        assertThat(e.getMessage()).contains("RSA").contains("P-256").contains("ES256");
    }

    @Test
    void rejects_pkcs1_rsa_private_key_block_with_message_naming_rsa() {
        String pkcs1 = TestKeys.pem("RSA PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});

        InvalidApiKeyException e = rejected(utf8(pkcs1), Problem.RSA_KEY);

        assertThat(e.getMessage()).contains("RSA");
    }

    @Test
    void rejects_ed25519_key_with_message_naming_ed25519() {
        InvalidApiKeyException e =
                rejected(utf8(TestKeys.pkcs8Pem(TestKeys.ed25519().getPrivate())), Problem.ED25519_KEY);

        assertThat(e.getMessage()).contains("Ed25519").contains("P-256");
    }

    @Test
    void rejects_p384_key_with_message_naming_p384() {
        InvalidApiKeyException e = rejected(utf8(TestKeys.pkcs8Pem(TestKeys.ecP384().getPrivate())), Problem.WRONG_CURVE);

        assertThat(e.getMessage()).contains("P-384").contains("P-256").contains("ES256");
    }

    @Test
    void rejects_secp256k1_key_with_message_naming_secp256k1() {
        InvalidApiKeyException e =
                rejected(utf8(TestKeys.pkcs8Pem(TestKeys.secp256k1().getPrivate())), Problem.WRONG_CURVE);

        assertThat(e.getMessage()).contains("secp256k1").contains("P-256");
    }

    // ---- rejected: file names

    @Test
    void rejects_subscription_key_as_an_in_app_purchase_key() {
        InvalidApiKeyException e = rejected(utf8(p8), "SubscriptionKey_ABC1234567.p8", null, Problem.SUBSCRIPTION_KEY);

        assertThat(e.getMessage())
                .contains("In-App Purchase key")
                .contains("Users and Access → Integrations → App Store Connect API → Team Keys");
    }

    @Test
    void rejects_auth_key_file_for_another_key_naming_both_ids() {
        InvalidApiKeyException e = rejected(utf8(p8), "AuthKey_ZZZ9999999 (1).p8", "abc1234567", Problem.KEY_ID_MISMATCH);

        assertThat(e.getMessage()).contains("ZZZ9999999").contains(KEY_ID).contains("AuthKey_ABC1234567.p8");
    }

    // ---- rejected: more than one block

    @Test
    void rejects_two_private_keys_in_one_file() {
        String two = p8 + TestKeys.p8Pem(TestKeys.ecP256());

        InvalidApiKeyException e = rejected(utf8(two), Problem.MULTIPLE_BLOCKS);

        assertThat(e.getMessage()).contains("2 blocks").contains("exactly one PRIVATE KEY block");
    }

    @Test
    void rejects_certificate_and_key_in_one_file_naming_the_blocks() {
        String both = TestKeys.selfSignedCertPem() + p8;

        InvalidApiKeyException e = rejected(utf8(both), Problem.MULTIPLE_BLOCKS);

        assertThat(e.getMessage()).contains("CERTIFICATE, PRIVATE KEY");
    }

    @Test
    void message_check_catches_a_fragment_of_the_upload() {
        String fragment = TestKeys.body(p8).substring(30, 50);

        assertThatThrownBy(() -> assertNoUploadInMessage("Damaged near " + fragment, utf8(p8)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void rejects_a_begin_line_missing_its_closing_dashes_as_incomplete() {
        String damaged = p8.replace("-----BEGIN PRIVATE KEY-----", "-----BEGIN PRIVATE KEY");

        InvalidApiKeyException e = rejected(utf8(damaged), Problem.PEM_INCOMPLETE);

        assertThat(e.getMessage()).contains("incomplete").contains("-----BEGIN line");
    }

    // ---- self-test

    @Test
    void self_test_fails_for_a_private_key_paired_with_another_public_key() {
        KeyPair other = TestKeys.ecP256();

        assertThatThrownBy(() -> ApiKeyFile.selfTest(pair.getPrivate(), other.getPublic()))
                .isInstanceOfSatisfying(InvalidApiKeyException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.SELF_TEST_FAILED);
                    assertThat(e.getMessage()).contains("could not sign and verify a test message");
                });
    }

    @Test
    void self_test_passes_for_a_matching_pair() throws Exception {
        ApiKeyFile.selfTest(pair.getPrivate(), pair.getPublic());
    }

    // ---- helpers

    private ApiKey parse(byte[] content) throws InvalidApiKeyException {
        return ApiKeyFile.parse(content, FILE_NAME, null);
    }

    private void assertSameKey(ApiKey key) {
        assertThat(key.privateKey().getS()).isEqualTo(scalar());
        assertThat(key.publicKey().getW()).isEqualTo(((ECPublicKey) pair.getPublic()).getW());
    }

    private BigInteger scalar() {
        return ((ECPrivateKey) pair.getPrivate()).getS();
    }

    private byte[] point() {
        return TestKeys.uncompressedPoint((ECPublicKey) pair.getPublic());
    }

    private static InvalidApiKeyException rejected(byte[] content, Problem expected) {
        return rejected(content, FILE_NAME, null, expected);
    }

    /** Every rejection also proves its message carries nothing of the upload. */
    private static InvalidApiKeyException rejected(byte[] content, String fileName, String keyId, Problem expected) {
        try {
            ApiKey key = ApiKeyFile.parse(content, fileName, keyId);
            return fail("expected " + expected + " but the file was accepted as " + key);
        } catch (InvalidApiKeyException e) {
            assertThat(e.problem()).isEqualTo(expected);
            assertNoUploadInMessage(e.getMessage(), content);
            return e;
        }
    }

    private static void assertNoUploadInMessage(String message, byte[] content) {
        assertThat(message).isNotBlank().doesNotContainPattern(BASE64_RUN);
        char[] text = UploadText.decode(content);
        String upload = text != null ? new String(text) : TestKeys.base64(content);
        Matcher runs = Pattern.compile("[A-Za-z0-9+/]{12,}").matcher(upload);
        while (runs.find()) {
            String run = runs.group();
            for (int i = 0; i + 12 <= run.length(); i++) {
                assertThat(message).doesNotContain(run.substring(i, i + 12));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String wrap(String body, int width) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i += width) {
            out.append(body, i, Math.min(body.length(), i + width)).append('\n');
        }
        return out.toString();
    }
}
