package com.asconboard.keys;

import static com.asconboard.keys.TestKeys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.asconboard.keys.InvalidApiKeyException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.teletrust.TeleTrusTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

/**
 * The edges of the key-file check, each at its exact value: which curve a refusal names, the PKCS#8
 * versions, the bounds of a bare base64 body and of a printable block name, byte order marks alone, the
 * shapes of a {@code .p12}, and the words of each refusal.
 */
class KeyFileEdgeCasesTest {
    private static final String FILE_NAME = "AuthKey_EDGE123456.p8";
    private static final String ES256 = "App Store Connect API keys are elliptic-curve keys on the P-256 curve (ES256), "
            + "so this is not one.";
    private static final String UPLOAD_ORIGINAL = "Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it "
            + "from App Store Connect (Users and Access → Integrations → App Store Connect API → Team Keys).";

    private final KeyPair pair = TestKeys.ecP256();

    // ---- curves and algorithms, named exactly

    @Test
    void a_p384_key_names_the_curve_by_both_its_names() {
        String pem = TestKeys.pkcs8Pem(TestKeys.ecP384().getPrivate());

        assertThat(refused(utf8(pem), Problem.WRONG_CURVE)).isEqualTo("This is an elliptic-curve private key on the "
                + "P-384 (secp384r1) curve. " + ES256 + " " + UPLOAD_ORIGINAL);
    }

    @Test
    void a_curve_without_a_nist_name_is_named_once() {
        String pem = TestKeys.pkcs8Pem(TestKeys.secp256k1().getPrivate());

        assertThat(refused(utf8(pem), Problem.WRONG_CURVE)).startsWith("This is an elliptic-curve private key on the "
                + "secp256k1 curve. ");
        assertThat(refused(onCurve(TeleTrusTObjectIdentifiers.brainpoolP256r1), Problem.WRONG_CURVE))
                .startsWith("This is an elliptic-curve private key on the brainpoolP256r1 curve. ");
    }

    @Test
    void an_unknown_curve_is_named_by_its_oid() {
        assertThat(refused(onCurve(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1")), Problem.WRONG_CURVE))
                .startsWith("This is an elliptic-curve private key on an unrecognised curve (OID 1.3.6.1.4.1.99999.1). ");
    }

    @Test
    void another_curve_spelled_out_as_explicit_parameters_is_a_custom_curve() {
        var p384 = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp384r1).toASN1Primitive();

        assertThat(refused(onCurve(p384), Problem.WRONG_CURVE)).startsWith("This is an elliptic-curve private key on "
                + "a custom curve given by explicit parameters. ");
    }

    @Test
    void a_diffie_hellman_key_and_an_unknown_algorithm_are_named() throws Exception {
        KeyPairGenerator dh = KeyPairGenerator.getInstance("DH");
        dh.initialize(1024);
        String dhPem = TestKeys.pkcs8Pem(dh.generateKeyPair().getPrivate());
        byte[] unknown = pkcs8(0, new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.3.4.5")), new byte[] {1});

        assertThat(refused(utf8(dhPem), Problem.UNSUPPORTED_ALGORITHM))
                .isEqualTo("This is a Diffie-Hellman private key. " + ES256 + " " + UPLOAD_ORIGINAL);
        assertThat(refused(utf8(TestKeys.pem("PRIVATE KEY", unknown)), Problem.UNSUPPORTED_ALGORITHM))
                .startsWith("This is a private key of an unrecognised type (OID 1.2.3.4.5). ");
    }

    // ---- PKCS#8 versions

    @Test
    void pkcs8_versions_0_and_1_are_read_and_version_2_is_damaged() throws Exception {
        byte[] inner = innerSec1();
        AlgorithmIdentifier ec = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);

        for (int version : new int[] {0, 1}) {
            ApiKey key = ApiKeyFile.parse(utf8(TestKeys.pem("PRIVATE KEY", pkcs8(version, ec, inner))), FILE_NAME, null);
            assertThat(key.privateKey().getS()).as("version " + version).isEqualTo(scalar());
        }
        refused(utf8(TestKeys.pem("PRIVATE KEY", pkcs8(2, ec, inner))), Problem.MALFORMED_KEY);
    }

    // ---- text: bare base64, byte order marks, unusual spaces

    @Test
    void sixty_four_base64_characters_without_armour_are_a_key_body_and_sixty_three_are_not() {
        String body = TestKeys.body(TestKeys.p8Pem(pair));

        refused(utf8(body.substring(0, 64)), Problem.MISSING_PEM_LINES);
        refused(utf8("  " + body.substring(0, 60) + "\n==== "), Problem.MISSING_PEM_LINES);
        refused(utf8(body.substring(0, 63)), Problem.NOT_PEM);
    }

    @Test
    void a_long_note_that_is_not_base64_is_not_taken_for_a_key_body() {
        String note = "Hello, here is the key you asked for! Issuer ID 57246542-96fe-1a63-e053-0824d011072a; thanks.";

        refused(utf8(note), Problem.NOT_PEM);
    }

    @Test
    void a_byte_order_mark_alone_is_an_empty_file() {
        refused(new byte[] {(byte) 0xFF, (byte) 0xFE}, Problem.EMPTY_FILE);
        refused(new byte[] {(byte) 0xFE, (byte) 0xFF}, Problem.EMPTY_FILE);
        refused(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Problem.EMPTY_FILE);
    }

    @Test
    void four_bytes_of_utf16_without_byte_order_mark_are_read_as_text() {
        refused("AB".getBytes(StandardCharsets.UTF_16LE), Problem.NOT_PEM);
        refused("AB".getBytes(StandardCharsets.UTF_16BE), Problem.NOT_PEM);
        refused(new byte[] {'A', 0, 'B'}, Problem.BINARY_FILE);
    }

    @Test
    void form_feeds_and_vertical_tabs_are_spaces_but_other_control_characters_make_a_binary_file() throws Exception {
        String p8 = TestKeys.p8Pem(pair);

        ApiKey key = ApiKeyFile.parse(utf8("\f\u000B" + p8.replace("\n", "\n\u000B") + "\f"), FILE_NAME, null);

        assertThat(key.privateKey().getS()).isEqualTo(scalar());
        refused(utf8("\u0007" + p8), Problem.BINARY_FILE);
        refused(utf8(p8 + "\u001F"), Problem.BINARY_FILE);
    }

    // ---- block names shown to the customer

    @Test
    void both_ssh_key_blocks_are_named_as_ssh_keys_and_other_blocks_by_their_name() {
        byte[] der = {0x30, 0x00};

        assertThat(refused(utf8(TestKeys.pem("SSH2 ENCRYPTED PRIVATE KEY", der)), Problem.UNKNOWN_PEM_TYPE))
                .isEqualTo("This file contains an SSH private key, not an App Store Connect API key. " + UPLOAD_ORIGINAL);
        assertThat(refused(utf8(TestKeys.pem("OPENSSH PRIVATE KEY", der)), Problem.UNKNOWN_PEM_TYPE))
                .startsWith("This file contains an SSH private key, ");
        assertThat(refused(utf8(TestKeys.pem("PGP PRIVATE KEY BLOCK", der)), Problem.UNKNOWN_PEM_TYPE))
                .startsWith("This file contains a “PGP PRIVATE KEY BLOCK” block, ");
    }

    @Test
    void a_block_name_of_40_characters_is_shown_and_one_of_41_is_not() {
        String forty = "ABCDEFGHIJKL ABCDEFGHIJKL ABCDEFGHIJKL A";
        String fortyOne = forty + "B";
        assertThat(forty).hasSize(40);

        assertThat(refused(utf8(TestKeys.pem(forty, new byte[] {0x30, 0x00})), Problem.UNKNOWN_PEM_TYPE))
                .startsWith("This file contains a “" + forty + "” block, ");
        assertThat(refused(utf8(TestKeys.pem(fortyOne, new byte[] {0x30, 0x00})), Problem.UNKNOWN_PEM_TYPE))
                .startsWith("This file contains a “(unrecognised)” block, ");
    }

    @Test
    void several_blocks_are_listed_by_name_in_order() {
        String both = TestKeys.selfSignedCertPem() + TestKeys.p8Pem(pair) + TestKeys.csrPem();

        assertThat(refused(utf8(both), Problem.MULTIPLE_BLOCKS)).startsWith("This file contains 3 blocks (CERTIFICATE, "
                + "PRIVATE KEY, CERTIFICATE REQUEST), but an App Store Connect API key file contains exactly one "
                + "PRIVATE KEY block. ");
    }

    @Test
    void an_ec_parameters_block_alone_is_not_a_key() {
        String parameters = TestKeys.pem("EC PARAMETERS", TestKeys.der(SECObjectIdentifiers.secp256r1));

        assertThat(refused(utf8(parameters), Problem.UNKNOWN_PEM_TYPE))
                .startsWith("This file contains a “EC PARAMETERS” block, ");
    }

    // ---- binary shapes

    @Test
    void a_p12_without_its_optional_mac_is_still_named_a_p12() {
        byte[] pfx = der(new ASN1Integer(3), sequence(PKCSObjectIdentifiers.data));

        refused(pfx, Problem.PKCS12);
    }

    @Test
    void a_sequence_shaped_almost_like_a_p12_is_a_binary_file() {
        refused(der(new ASN1Integer(3), sequence(new ASN1Integer(1))), Problem.BINARY_FILE);
        refused(der(new ASN1Integer(2), sequence(PKCSObjectIdentifiers.data)), Problem.BINARY_FILE);
        refused(der(new ASN1Integer(3), sequence(PKCSObjectIdentifiers.data), new ASN1Integer(1), new ASN1Integer(1)),
                Problem.BINARY_FILE);
        refused(der(new ASN1Integer(3)), Problem.BINARY_FILE);
    }

    // ---- the validated key

    @Test
    void a_fresh_key_is_not_destroyed_and_says_where_its_key_id_came_from() throws Exception {
        byte[] p8 = utf8(TestKeys.p8Pem(pair));

        ApiKey fromName = ApiKeyFile.parse(p8.clone(), FILE_NAME, null);
        ApiKey given = ApiKeyFile.parse(p8.clone(), FILE_NAME, "edge123456");
        ApiKey unnamed = ApiKeyFile.parse(p8.clone(), "key.p8", null);

        assertThat(fromName.isDestroyed()).isFalse();
        assertThat(fromName.keyIdFromFileName()).isTrue();
        assertThat(fromName).hasToString("ApiKey[keyId=EDGE123456 (from file name), EC P-256]");
        assertThat(given.keyIdFromFileName()).isFalse();
        assertThat(given).hasToString("ApiKey[keyId=EDGE123456, EC P-256]");
        assertThat(unnamed).hasToString("ApiKey[keyId=unknown, EC P-256]");
        unnamed.destroy();
        assertThat(unnamed).hasToString("ApiKey[keyId=unknown, EC P-256, destroyed]");
    }

    // ---- helpers

    private BigInteger scalar() {
        return ((ECPrivateKey) pair.getPrivate()).getS();
    }

    /** The SEC1 ECPrivateKey inside an Apple-shaped PKCS#8, with the curve and the public point. */
    private byte[] innerSec1() {
        try {
            return new org.bouncycastle.asn1.sec.ECPrivateKey(256, scalar(),
                    new DERBitString(TestKeys.uncompressedPoint((ECPublicKey) pair.getPublic())),
                    SECObjectIdentifiers.secp256r1).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This key's PKCS#8 with another curve named in both places, as a PEM file. */
    private byte[] onCurve(org.bouncycastle.asn1.ASN1Encodable curve) {
        return utf8(TestKeys.pem("PRIVATE KEY", TestKeys.pkcs8(scalar(), null, curve)));
    }

    /** PrivateKeyInfo of any version: SEQUENCE { INTEGER version, AlgorithmIdentifier, OCTET STRING }. */
    private static byte[] pkcs8(int version, AlgorithmIdentifier algorithm, byte[] privateKey) {
        if (version == 1) {
            try {
                return new PrivateKeyInfo(algorithm, org.bouncycastle.asn1.ASN1Primitive.fromByteArray(privateKey),
                        null, new byte[0]).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return der(new ASN1Integer(version), algorithm, new DEROctetString(privateKey));
    }

    private static DERSequence sequence(org.bouncycastle.asn1.ASN1Encodable... items) {
        return new DERSequence(new ASN1EncodableVector(items.length) {
            {
                for (var item : items) {
                    add(item);
                }
            }
        });
    }

    private static byte[] der(org.bouncycastle.asn1.ASN1Encodable... items) {
        return TestKeys.der(sequence(items));
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

}
