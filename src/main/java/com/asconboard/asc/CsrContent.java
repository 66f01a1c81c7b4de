package com.asconboard.asc;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** The {@code csrContent} Apple is sent: a PKCS#10 request as PEM text ({@code CERTIFICATE REQUEST}). */
public final class CsrContent {
    static final String LABEL = "CERTIFICATE REQUEST";

    private CsrContent() {
    }

    /** The DER request as PEM, lines of 64, as OpenSSL, fastlane and codemagic write it. */
    public static String pem(byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(LABEL, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code csr} unchanged when already PEM-armoured; bare base64 DER armoured. */
    static String pem(String csr) {
        if (csr == null || csr.isBlank()) {
            throw new IllegalArgumentException("a certificate signing request is needed, got none");
        }
        String text = csr.strip();
        if (text.startsWith("-----BEGIN ")) {
            return text.endsWith("\n") ? text : text + "\n";
        }
        try {
            return pem(Base64.getDecoder().decode(text.replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the certificate signing request is neither PEM nor base64 DER");
        }
    }
}
