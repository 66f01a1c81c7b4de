package com.asconboard.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Base64;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class SigningRequestTest {

    @Test
    void the_request_is_pem_text_signed_by_its_own_rsa_key() throws Exception {
        SigningRequest request = SigningRequest.create("ASC Onboard", "H4RB0UR001");

        assertThat(request.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(request.csrPem()))) {
            csr = (PKCS10CertificationRequest) parser.readObject();
        }
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo())))
                .isTrue();
        assertThat(new JcaPKCS10CertificationRequest(csr).getPublicKey()).isEqualTo(request.keyPair().getPublic());
        assertThat(csr.getSubject().toString()).contains("CN=ASC Onboard distribution for H4RB0UR001", "O=ASC Onboard");
        assertThat(Base64.getDecoder().decode(request.csrBase64())).isEqualTo(csr.getEncoded());
    }

    @Test
    void its_text_form_hides_the_private_key() {
        assertThat(SigningRequest.create("ASC Onboard", null).toString()).isEqualTo("SigningRequest[RSA-2048, private key ****]");
    }
}
