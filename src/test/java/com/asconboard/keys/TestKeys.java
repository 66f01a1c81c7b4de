package com.asconboard.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Key files for tests, all generated in memory. PEM output is what Apple's files look like:
 * 64-character lines, LF line endings, a final newline.
 */
public final class TestKeys {

    /** Used directly, never registered, so tests do not change the JVM's provider list. */
    public static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private static final char[] P12_PASSWORD = "test".toCharArray();

    private TestKeys() {
    }

    // ---- key pairs

    public static KeyPair ecP256() {
        return ec("secp256r1", null);
    }

    public static KeyPair ecP384() {
        return ec("secp384r1", null);
    }

    /** The JDK no longer ships secp256k1, so BouncyCastle makes it. */
    public static KeyPair secp256k1() {
        return ec("secp256k1", BC);
    }

    public static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- key files

    /** A P-256 key as App Store Connect delivers it: PKCS#8 with the curve and public point inside. */
    public static String p8Pem(KeyPair pair) {
        return pem("PRIVATE KEY", applePkcs8(pair));
    }

    /** DER shaped like Apple's .p8 body. */
    public static byte[] applePkcs8(KeyPair pair) {
        ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        return pkcs8(privateKey.getS(), uncompressedPoint(publicKey), SECObjectIdentifiers.secp256r1);
    }

    /** Whatever the key's own provider writes as PKCS#8 (the JDK omits the public point). */
    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** SEC1 {@code EC PRIVATE KEY}, as {@code openssl ec} writes it: curve and public point included. */
    public static String sec1Pem(KeyPair pair) {
        try {
            ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
            ASN1ObjectIdentifier curve = PrivateKeyInfo.getInstance(privateKey.getEncoded())
                    .getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid
                    ? oid : SECObjectIdentifiers.secp256r1;
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    privateKey.getParams().getOrder().bitLength(), privateKey.getS(),
                    new DERBitString(uncompressedPoint((ECPublicKey) pair.getPublic())), curve);
            return pem("EC PRIVATE KEY", sec1.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SEC1 without the curve inside, preceded by an {@code EC PARAMETERS} block, as {@code openssl ecparam -genkey} writes. */
    public static String sec1WithParametersPem(KeyPair pair) {
        try {
            ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    256, privateKey.getS(), new DERBitString(uncompressedPoint((ECPublicKey) pair.getPublic())), null);
            return pem("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded(ASN1Encoding.DER))
                    + pem("EC PRIVATE KEY", sec1.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PKCS#8 with any scalar, public point (null to leave out) and curve (OID or explicit parameters). */
    public static byte[] pkcs8(BigInteger d, byte[] publicPoint, ASN1Encodable curve) {
        try {
            org.bouncycastle.asn1.sec.ECPrivateKey inner = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    256, d, publicPoint == null ? null : new DERBitString(publicPoint), curve);
            AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve);
            return new PrivateKeyInfo(algorithm, inner).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PKCS#8 encrypted with a password (AES-256-CBC, PBKDF2), as {@code openssl pkcs8 -topk8} writes. */
    public static String encryptedPkcs8Pem(PrivateKey key) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC)
                    .setPassword("correct horse".toCharArray())
                    .build();
            return pem(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String selfSignedCertPem() {
        try {
            return pem("CERTIFICATE", selfSignedCert(ecP256()).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String csrPem() {
        try {
            KeyPair pair = ecP256();
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=asc-onboard test"), pair.getPublic())
                    .build(signer(pair.getPrivate()));
            return pem("CERTIFICATE REQUEST", request.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real PKCS#12 keystore holding a P-256 key and its self-signed certificate. */
    public static byte[] p12Bytes() {
        try {
            KeyPair pair = ecP256();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(selfSignedCert(pair));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", pair.getPrivate(), P12_PASSWORD, new java.security.cert.Certificate[] {certificate});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, P12_PASSWORD);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- PEM

    public static String pem(String label, byte[] der) {
        return pem(new PemObject(label, der));
    }

    /** The base64 lines between the armour, joined: what must never appear in a message. */
    public static String body(String pem) {
        StringBuilder body = new StringBuilder();
        for (String line : pem.split("\\R")) {
            if (!line.startsWith("-----") && !line.contains(":")) {
                body.append(line.strip());
            }
        }
        return body.toString();
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String pem(PemObject object) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().replace("\r\n", "\n");
    }

    private static KeyPair ec(String curve, java.security.Provider provider) {
        try {
            KeyPairGenerator generator = provider == null
                    ? KeyPairGenerator.getInstance("EC")
                    : KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] uncompressedPoint(ECPublicKey key) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] out = new byte[1 + 2 * size];
        out[0] = 0x04;
        copyUnsigned(key.getW().getAffineX(), out, 1, size);
        copyUnsigned(key.getW().getAffineY(), out, 1 + size, size);
        return out;
    }

    private static void copyUnsigned(BigInteger value, byte[] out, int offset, int size) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > size ? bytes.length - size : 0;
        System.arraycopy(bytes, skip, out, offset + size - (bytes.length - skip), bytes.length - skip);
    }

    private static X509CertificateHolder selfSignedCert(KeyPair pair) {
        Date now = new Date();
        return new JcaX509v3CertificateBuilder(
                new X500Name("CN=asc-onboard test"), BigInteger.ONE,
                new Date(now.getTime() - 60_000), new Date(now.getTime() + 86_400_000L),
                new X500Name("CN=asc-onboard test"), pair.getPublic())
                .build(signer(pair.getPrivate()));
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encodes a curve OID or other parameters, for hand-built cases. */
    static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
