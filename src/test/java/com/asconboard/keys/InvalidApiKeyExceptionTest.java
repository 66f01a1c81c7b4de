package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.i18n.Texts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The refusals of a key file by message key: English stays word for word what Slack, the verify command
 * and the customers saw before the texts moved to the bundles, and every other language renders them.
 */
class InvalidApiKeyExceptionTest {

    static final List<Map.Entry<InvalidApiKeyException, String>> ENGLISH = List.of(
            Map.entry(InvalidApiKeyException.keyIdInFileNameMalformed(),
                    "The file’s name does not hold a valid key ID: App Store Connect names its key files "
                    + "AuthKey_<KEY ID>.p8, and a key ID is 10 letters or digits (for example 2X9R4HXF34). Upload "
                    + "the file under the name it was downloaded with, or rename it to AuthKey_ followed by the "
                    + "key’s ID as App Store Connect shows it."),
            Map.entry(InvalidApiKeyException.emptyFile(),
                    "The uploaded file is empty. Please upload the AuthKey_<KEY ID>.p8 file exactly as you "
                    + "downloaded it from App Store Connect (Users and Access → Integrations → App Store Connect "
                    + "API → Team Keys)."),
            Map.entry(InvalidApiKeyException.fileTooLarge(20 * 1024),
                    "The uploaded file is 20 KB, but an App Store Connect API key file is a small text file of "
                    + "about 250 bytes. Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it "
                    + "from App Store Connect (Users and Access → Integrations → App Store Connect API → Team "
                    + "Keys)."),
            Map.entry(InvalidApiKeyException.subscriptionKey(),
                    "This is an In-App Purchase key (its file name starts with SubscriptionKey_), not an App "
                    + "Store Connect API key. Create an API key in App Store Connect (Users and Access → "
                    + "Integrations → App Store Connect API → Team Keys) and upload the AuthKey_<KEY ID>.p8 file "
                    + "it gives you."),
            Map.entry(InvalidApiKeyException.keyIdMismatch("AAAAAAAAAA", "BBBBBBBBBB"),
                    "This file is for API key AAAAAAAAAA, but the key ID we were given is BBBBBBBBBB. Upload "
                    + "AuthKey_BBBBBBBBBB.p8, or, if AAAAAAAAAA is the key you meant to share, give us that key "
                    + "ID instead."),
            Map.entry(InvalidApiKeyException.binaryFile(),
                    "This is a binary file (for example a .p12 or .cer export), not an App Store Connect API "
                    + "key. The key file is a short text file that starts with -----BEGIN PRIVATE KEY-----. "
                    + "Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store "
                    + "Connect (Users and Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.pkcs12(),
                    "This is a .p12 (PKCS#12) file, the kind Keychain Access exports for certificates, not an "
                    + "App Store Connect API key. Please upload the AuthKey_<KEY ID>.p8 file exactly as you "
                    + "downloaded it from App Store Connect (Users and Access → Integrations → App Store Connect "
                    + "API → Team Keys)."),
            Map.entry(InvalidApiKeyException.certificate(),
                    "This is a certificate, not an App Store Connect API key. Certificates are used to sign "
                    + "apps or send push notifications; the API key is a separate file. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.certificateRequest(),
                    "This is a certificate signing request (CSR), not an App Store Connect API key. Please "
                    + "upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect "
                    + "(Users and Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.publicKey(),
                    "This is a public key. We need the private key file, which App Store Connect gives you as "
                    + "AuthKey_<KEY ID>.p8 when you generate the key in App Store Connect (Users and Access → "
                    + "Integrations → App Store Connect API → Team Keys). Apple lets you download a key file "
                    + "only once: if you no longer have the original, revoke this key there and generate a new "
                    + "one."),
            Map.entry(InvalidApiKeyException.notPem(),
                    "This file does not contain a key. An App Store Connect API key file starts with "
                    + "-----BEGIN PRIVATE KEY----- and ends with -----END PRIVATE KEY-----. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.missingPemLines(),
                    "This file looks like the inside of a key without its -----BEGIN PRIVATE KEY----- and "
                    + "-----END PRIVATE KEY----- lines, which are part of the key file. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.pemIncomplete(null),
                    "The key file is incomplete: it has a -----BEGIN line without the matching -----END line, "
                    + "so it was probably cut off or edited. Please upload the AuthKey_<KEY ID>.p8 file exactly "
                    + "as you downloaded it from App Store Connect (Users and Access → Integrations → App Store "
                    + "Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.pemIncomplete("EC PRIVATE KEY"),
                    "The key file is incomplete: it has a -----BEGIN EC PRIVATE KEY----- line without the "
                    + "matching -----END line, so it was probably cut off or edited. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.pemIncomplete("x y"),
                    "The key file is incomplete: it has a -----BEGIN (unrecognised)----- line without the "
                    + "matching -----END line, so it was probably cut off or edited. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.unknownPemType("OPENSSH PRIVATE KEY"),
                    "This file contains an SSH private key, not an App Store Connect API key. Please upload "
                    + "the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users "
                    + "and Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.unknownPemType("FOO BAR"),
                    "This file contains a “FOO BAR” block, not an App Store Connect API key. Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.multipleBlocks(List.of("PRIVATE KEY", "CERTIFICATE")),
                    "This file contains 2 blocks (PRIVATE KEY, CERTIFICATE), but an App Store Connect API key "
                    + "file contains exactly one PRIVATE KEY block. Please upload the AuthKey_<KEY ID>.p8 file "
                    + "exactly as you downloaded it from App Store Connect (Users and Access → Integrations → "
                    + "App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.brokenBase64(),
                    "The key file is damaged: the text between its BEGIN and END lines has been altered (it "
                    + "contains characters, or has a length, that a key cannot have). Please upload the "
                    + "AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users and "
                    + "Access → Integrations → App Store Connect API → Team Keys). Apple lets you download a key "
                    + "file only once: if you no longer have the original, revoke this key there and generate a "
                    + "new one."),
            Map.entry(InvalidApiKeyException.malformedKey(),
                    "The key file is damaged: it has the right BEGIN and END lines, but what is between them "
                    + "is not a valid private key. Please upload the AuthKey_<KEY ID>.p8 file exactly as you "
                    + "downloaded it from App Store Connect (Users and Access → Integrations → App Store Connect "
                    + "API → Team Keys). Apple lets you download a key file only once: if you no longer have the "
                    + "original, revoke this key there and generate a new one."),
            Map.entry(InvalidApiKeyException.encryptedKey(),
                    "This key file is password-protected (encrypted). App Store Connect never encrypts its API "
                    + "key files, so this copy was re-exported by another tool. Please upload the AuthKey_<KEY "
                    + "ID>.p8 file exactly as you downloaded it from App Store Connect (Users and Access → "
                    + "Integrations → App Store Connect API → Team Keys). Apple lets you download a key file "
                    + "only once: if you no longer have the original, revoke this key there and generate a new "
                    + "one."),
            Map.entry(InvalidApiKeyException.rsaKey(),
                    "This is an RSA private key. App Store Connect API keys are elliptic-curve keys on the "
                    + "P-256 curve (ES256), so this is not one. Please upload the AuthKey_<KEY ID>.p8 file "
                    + "exactly as you downloaded it from App Store Connect (Users and Access → Integrations → "
                    + "App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.ed25519Key(),
                    "This is an Ed25519 private key. App Store Connect API keys are elliptic-curve keys on the "
                    + "P-256 curve (ES256), so this is not one. Please upload the AuthKey_<KEY ID>.p8 file "
                    + "exactly as you downloaded it from App Store Connect (Users and Access → Integrations → "
                    + "App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.unsupportedAlgorithm(Message.of("key.kind.dsa")),
                    "This is a DSA private key. App Store Connect API keys are elliptic-curve keys on the "
                    + "P-256 curve (ES256), so this is not one. Please upload the AuthKey_<KEY ID>.p8 file "
                    + "exactly as you downloaded it from App Store Connect (Users and Access → Integrations → "
                    + "App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.wrongCurve(Message.of("key.curve.pair", "P-384", "secp384r1")),
                    "This is an elliptic-curve private key on the P-384 (secp384r1) curve. App Store Connect "
                    + "API keys are elliptic-curve keys on the P-256 curve (ES256), so this is not one. Please "
                    + "upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect "
                    + "(Users and Access → Integrations → App Store Connect API → Team Keys)."),
            Map.entry(InvalidApiKeyException.scalarOutOfRange(),
                    "The key file is damaged: its private key value is outside the range a P-256 key can have, "
                    + "so it cannot sign anything. Please upload the AuthKey_<KEY ID>.p8 file exactly as you "
                    + "downloaded it from App Store Connect (Users and Access → Integrations → App Store Connect "
                    + "API → Team Keys). Apple lets you download a key file only once: if you no longer have the "
                    + "original, revoke this key there and generate a new one."),
            Map.entry(InvalidApiKeyException.publicKeyMismatch(),
                    "The key file is damaged: its public part does not match its private part. Please upload "
                    + "the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App Store Connect (Users "
                    + "and Access → Integrations → App Store Connect API → Team Keys). Apple lets you download a "
                    + "key file only once: if you no longer have the original, revoke this key there and "
                    + "generate a new one."),
            Map.entry(InvalidApiKeyException.selfTestFailed(),
                    "The key could not sign and verify a test message, so App Store Connect would not accept "
                    + "it. Please upload the AuthKey_<KEY ID>.p8 file exactly as you downloaded it from App "
                    + "Store Connect (Users and Access → Integrations → App Store Connect API → Team Keys). "
                    + "Apple lets you download a key file only once: if you no longer have the original, revoke "
                    + "this key there and generate a new one."));

    @Test
    void english_messages_are_the_texts_customers_and_slack_have_always_seen() {
        for (Map.Entry<InvalidApiKeyException, String> refusal : ENGLISH) {
            assertThat(refusal.getKey().getMessage()).as(refusal.getKey().problem().name()).isEqualTo(refusal.getValue());
            assertThat(Texts.render(Language.EN, refusal.getKey().text())).isEqualTo(refusal.getValue());
        }
    }

    @Test
    void every_problem_has_a_pinned_english_text() {
        assertThat(ENGLISH.stream().map(e -> e.getKey().problem()).distinct())
                .containsExactlyInAnyOrder(InvalidApiKeyException.Problem.values());
    }

    @Test
    void each_refusal_reads_in_every_language_with_its_arguments_in_place() {
        for (Map.Entry<InvalidApiKeyException, String> refusal : ENGLISH) {
            for (Language language : List.of(Language.FR, Language.DE, Language.ES)) {
                String text = Texts.render(language, refusal.getKey().text());
                assertThat(text).as(language + " " + refusal.getKey().problem())
                        .isNotEqualTo(refusal.getValue())
                        .doesNotContain("{", "}")
                        .doesNotContainPattern("\\{\\d");
            }
        }
        InvalidApiKeyException mismatch = InvalidApiKeyException.keyIdMismatch("AAAAAAAAAA", "BBBBBBBBBB");
        assertThat(Texts.render(Language.FR, mismatch.text())).contains("AAAAAAAAAA", "AuthKey_BBBBBBBBBB.p8",
                "ID de clé");
        assertThat(Texts.render(Language.DE, InvalidApiKeyException.emptyFile().text()))
                .contains("Benutzer und Zugriff → Integrationen → App Store Connect API → Teamschlüssel");
        assertThat(Texts.render(Language.ES, InvalidApiKeyException.emptyFile().text()))
                .contains("Usuarios y acceso → Integraciones");
        assertThat(Texts.render(Language.FR, InvalidApiKeyException.wrongCurve(
                Message.of("key.curve.pair", "P-384", "secp384r1")).text()))
                .startsWith("Ce fichier contient une clé privée à courbe elliptique sur la courbe P-384 (secp384r1).");
    }
}
