package com.asconboard.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Real X.509 material for {@link FakeAsc}: a test stand-in for Apple's WWDR intermediate, certificates
 * issued by it with Apple's subject layout, and the CSR checks Apple applies before issuing.
 */
final class FakeAscCertificates {

    static final String CA_SUBJECT =
            "CN=Apple Worldwide Developer Relations Certification Authority, OU=G3, O=FakeAsc Test CA, C=US";

    /** Apple's own markers: iPhone Distribution and Mac App Store distribution (Apple Distribution carries both). */
    private static final ASN1ObjectIdentifier IPHONE_DISTRIBUTION = new ASN1ObjectIdentifier("1.2.840.113635.100.6.1.4");
    private static final ASN1ObjectIdentifier MAC_APP_DISTRIBUTION = new ASN1ObjectIdentifier("1.2.840.113635.100.6.1.7");
    private static final ASN1ObjectIdentifier IPHONE_DEVELOPMENT = new ASN1ObjectIdentifier("1.2.840.113635.100.6.1.2");

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----(.*?)-----END (?:NEW )?CERTIFICATE REQUEST-----",
            Pattern.DOTALL);

    private FakeAscCertificates() {
    }

    /** Why Apple would refuse a CSR; the message goes into the error detail. */
    static final class InvalidCsrException extends Exception {
        InvalidCsrException(String message) {
            super(message);
        }
    }

    // Key generation is slow enough to notice, so the CA and the key behind pre-filled certificates are made once per JVM.
    private static final class Ca {
        static final KeyPair KEYS = rsa2048();
        static final X509Certificate CERT = selfSigned(KEYS);
    }

    private static final class Filler {
        static final KeyPair KEYS = rsa2048();
    }

    static X509Certificate ca() {
        return Ca.CERT;
    }

    /** The public key of certificates that tests place in an account directly (nobody holds its private key). */
    static PublicKey fillerKey() {
        return Filler.KEYS.getPublic();
    }

    /**
     * Reads {@code csrContent} as Apple accepts it, PEM or bare base64 of the DER, checks its signature and
     * that it carries an RSA 2048-bit key (the only kind Apple signs for code signing), and returns that key.
     */
    static PublicKey parseCsr(String csrContent) throws InvalidCsrException {
        String text = csrContent.strip();
        String base64 = text;
        if (text.startsWith("-----")) {
            Matcher matcher = PEM.matcher(text);
            if (!matcher.find()) {
                throw new InvalidCsrException("The PEM block is not a CERTIFICATE REQUEST.");
            }
            base64 = matcher.group(1);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidCsrException("The content is not base64.");
        }
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("The content is not a PKCS#10 certificate signing request.");
        }
        PublicKey key;
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new InvalidCsrException("The certificate signing request's signature does not verify.");
            }
            key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (InvalidCsrException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidCsrException("The certificate signing request's key or signature cannot be read.");
        }
        if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() != 2048) {
            throw new InvalidCsrException("The certificate signing request must carry an RSA 2048-bit key.");
        }
        return key;
    }

    /** Subject laid out as on Apple's certificates: UID, CN, OU (team id), O (team name), C. */
    static X500Name subject(String uid, String commonName, String teamId, String teamName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.UID, uid)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.OU, teamId)
                .addRDN(BCStyle.O, teamName)
                .addRDN(BCStyle.C, "US")
                .build();
    }

    static BigInteger serial(SecureRandom random) {
        // 16 hex digits, like the serials Apple shows.
        return new BigInteger(63, random).setBit(62);
    }

    static X509Certificate issue(X500Name subject, PublicKey key, BigInteger serial, Instant notBefore, Instant notAfter,
                                 FakeAsc.CertificateType type) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    Ca.CERT, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(Ca.CERT));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            switch (type) {
                case DISTRIBUTION -> {
                    builder.addExtension(IPHONE_DISTRIBUTION, true, DERNull.INSTANCE);
                    builder.addExtension(MAC_APP_DISTRIBUTION, true, DERNull.INSTANCE);
                }
                case IOS_DISTRIBUTION -> builder.addExtension(IPHONE_DISTRIBUTION, true, DERNull.INSTANCE);
                case DEVELOPMENT, IOS_DEVELOPMENT -> builder.addExtension(IPHONE_DEVELOPMENT, true, DERNull.INSTANCE);
                default -> {
                }
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(Ca.KEYS.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("fake ASC could not issue a certificate", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) {
        try {
            X500Name name = new X500Name(CA_SUBJECT);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, BigInteger.valueOf(0x5A1E5), Date.from(now.minus(Duration.ofDays(365))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("fake ASC could not create its test CA", e);
        }
    }

    private static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
