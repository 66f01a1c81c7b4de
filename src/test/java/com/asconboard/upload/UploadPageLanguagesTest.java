package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page speaks the customer's language, chosen by Accept-Language or ?lang=, on every answer. */
class UploadPageLanguagesTest {
    @RegisterExtension
    static final RunningBot app = new RunningBot();

    @BeforeEach
    void freshRateLimitWindow() {
        app.clock().advance(Duration.ofMinutes(11));
    }

    static String freshLink(String customer, String keyId) {
        return app.driver().uploadLink(app.driver().open(customer, "Team", "TEAM123456", null, keyId));
    }

    static UploadClient.Answer getWith(String url, String acceptLanguage) {
        return app.browser().get(url, Map.of("Accept-Language", acceptLanguage));
    }

    record Expected(String header, String tag, String title, String appleTerms, String role) {
    }

    static final List<Expected> LANGUAGES = List.of(
            new Expected("en-GB,en;q=0.9", "en", "Send your App Store Connect API key",
                    "Users and Access → Integrations → App Store Connect API", "App Manager"),
            new Expected("fr-FR,fr;q=0.9,en;q=0.8", "fr", "Envoyez votre clé d’API App Store Connect",
                    "Utilisateurs et accès → Intégrations → API App Store Connect", "Gestionnaire d’apps"),
            new Expected("de-CH, en;q=0.5", "de", "Ihren API-Schlüssel für App Store Connect übermitteln",
                    "Benutzer und Zugriff → Integrationen → App Store Connect API", "App-Manager"),
            new Expected("en;q=0.2, es-419;q=0.8", "es", "Envíe su clave de API de App Store Connect",
                    "Usuarios y acceso → Integraciones → API de App Store Connect", "Gestor de apps"));

    @Test
    void each_language_is_chosen_by_accept_language() {
        String url = freshLink("Sprachen AG", "LANGS12345");
        for (Expected expected : LANGUAGES) {
            UploadClient.Answer page = getWith(url, expected.header());

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Language")).isEqualTo(expected.tag());
            assertThat(page.body()).as(expected.tag()).contains("<html lang=\"" + expected.tag() + "\">",
                    "<h1>" + expected.title() + "</h1>", expected.appleTerms(), expected.role(),
                    "action=\"?lang=" + expected.tag() + "\"", "AuthKey_LANGS12345.p8", "Sprachen AG");
        }
    }

    @Test
    void each_language_is_chosen_by_lang_in_the_query_over_accept_language() {
        String url = freshLink("Query Ltd", null);
        for (Expected expected : LANGUAGES) {
            UploadClient.Answer page = getWith(url + "?lang=" + expected.tag(), "ja, it;q=0.5, fr;q=0.1");

            assertThat(page.body()).as(expected.tag()).contains("<html lang=\"" + expected.tag() + "\">",
                    "<h1>" + expected.title() + "</h1>", expected.appleTerms());
        }
        assertThat(getWith(url + "?lang=it", "es").body()).as("a language the page does not speak")
                .contains("<html lang=\"es\">");
        assertThat(getWith(url, "ja, zh;q=0.9").body()).as("English when unsure").contains("<html lang=\"en\">");
    }

    @Test
    void the_pre_flight_list_comes_before_the_download() {
        String body = getWith(freshLink("Preflight Inc", null), "en").body();

        int preflight = body.indexOf("Before you create the key");
        assertThat(preflight).isPositive().isLessThan(body.indexOf("Download <code>"));
        assertThat(body.substring(preflight)).contains("<strong>Team key</strong>, not an Individual key",
                "<strong>App Manager</strong>", "the right team is selected", "top right",
                "<em>Request Access</em>", "<strong>Account Holder</strong>", "Name the key <strong>ASC Onboard</strong>");
    }

    @Test
    void the_language_switcher_links_every_language_and_marks_the_current_one() {
        String body = getWith(freshLink("Switcher SA", null), "fr").body();

        assertThat(body).contains("<nav class=\"languages\" aria-label=\"Langue\">",
                "<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>",
                "<a href=\"?lang=fr\" hreflang=\"fr\" lang=\"fr\" aria-current=\"true\">Français</a>",
                "<a href=\"?lang=de\" hreflang=\"de\" lang=\"de\">Deutsch</a>",
                "<a href=\"?lang=es\" hreflang=\"es\" lang=\"es\">Español</a>");
    }

    @Test
    void the_language_is_kept_across_the_form_post_and_the_refusal_is_translated() {
        String url = freshLink("Post GmbH", "POSTDE1234");
        // The form posts to ?lang=de; the browser's own preference says otherwise.
        UploadClient.Answer refused = app.browser().upload(url + "?lang=de", "AuthKey_POSTDE1234.p8",
                TestKeys.selfSignedCertPem().getBytes(StandardCharsets.UTF_8), Map.of("Accept-Language", "fr"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("<html lang=\"de\">", "Die Datei wurde nicht angenommen",
                "Dies ist ein Zertifikat, kein API-Schlüssel für App Store Connect.",
                "Sie können es mit diesem Link noch 4-mal versuchen.", "action=\"?lang=de\"");

        UploadClient.Answer accepted = app.browser().upload(url + "?lang=de", "AuthKey_POSTDE1234.p8",
                TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8), Map.of("Accept-Language", "fr"));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).contains("<html lang=\"de\">", "Schlüssel erhalten",
                "der Schlüssel AuthKey_POSTDE1234.p8 ist eingegangen");

        assertThat(getWith(url, "es").body()).as("the used link, in Spanish").contains("<html lang=\"es\">",
                "Este enlace ya no funciona", "Este enlace ya se ha usado: la clave se recibió el ");
    }

    @Test
    void refusal_pages_are_translated() {
        String unknown = "http://127.0.0.1:" + app.bot().port() + "/upload/" + "Q".repeat(43);
        assertThat(getWith(unknown, "fr").body()).contains("Lien introuvable", "Ce lien d’envoi n’est pas valide.");
        assertThat(getWith(unknown, "de").body()).contains("Link nicht gefunden", "Dieser Upload-Link ist ungültig.");
        assertThat(getWith(unknown, "es").body()).contains("Enlace no encontrado", "no es válido");
        assertThat(getWith(unknown, "en").body()).contains("Link not found", "This upload link is not valid.");

        String url = freshLink("Expiring SARL", null);
        app.clock().advance(Duration.ofHours(73));
        UploadClient.Answer expired = getWith(url, "fr");
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.body()).contains("Ce lien ne fonctionne plus", "Ce lien a expiré le ", " UTC.",
                "Apple ne permet de le télécharger qu’une seule fois");
    }

    @Test
    void cross_site_and_too_large_answers_are_translated() {
        String url = freshLink("Big Cross SL", null);
        UploadClient.Answer crossSite = app.browser().upload(url, "AuthKey_X.p8", new byte[10],
                Map.of("Origin", "https://evil.example", "Accept-Language", "es"));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.body()).contains("Envío rechazado", "Este envío procedía de otro sitio");

        UploadClient.Answer tooLarge = app.browser().upload(url + "?lang=fr", "AuthKey_X.p8", new byte[20 * 1024]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("Fichier trop volumineux", "Ce fichier dépasse 16 Kio.");
    }
}
