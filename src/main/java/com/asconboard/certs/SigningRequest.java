package com.asconboard.certs;

import com.asconboard.asc.CsrContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh RSA-2048 key pair and the PKCS#10 request Apple signs into a distribution certificate.
 * {@code csrPem} is what App Store Connect is sent as {@code csrContent}: PEM, as fastlane and codemagic send it.
 */
public record SigningRequest(KeyPair keyPair, String csrPem) {

    public static SigningRequest create(String vendorName, String teamId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, vendorName + " distribution" + (teamId == null ? "" : " for " + teamId))
                    .addRDN(BCStyle.O, vendorName)
                    .addRDN(BCStyle.C, "US")
                    .build();
            var csr = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            return new SigningRequest(pair, CsrContent.pem(csr.getEncoded()));
        } catch (NoSuchAlgorithmException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate signing request: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The request as bare base64 DER. Prefer {@link #csrPem()}: though
     * {@link com.asconboard.asc.AppStoreConnect#createDistributionCertificate} armours this, so Apple gets PEM either way.
     */
    public String csrBase64() {
        return Base64.getEncoder().encodeToString(csrDer());
    }

    /** The DER of the request. */
    public byte[] csrDer() {
        return Base64.getMimeDecoder().decode(csrPem.replaceAll("-----[A-Z ]+-----", ""));
    }

    @Override
    public String toString() {
        return "SigningRequest[RSA-2048, private key ****]";
    }
}
