package com.asconboard.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundles behind every customer-facing text: complete in all four languages and consistent. */
class TextsTest {
    static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");
    static final Pattern TAG = Pattern.compile("</?([a-z][a-z0-9]*)(\\s[^>]*)?>");
    static final Set<String> ALLOWED_TAGS = Set.of("strong", "em", "code");
    static final Map<Language, Properties> bundles = new EnumMap<>(Language.class);

    @BeforeAll
    static void load() throws IOException {
        for (Language language : Language.values()) {
            String name = "/i18n/upload" + (language == Language.EN ? "" : "_" + language.tag()) + ".properties";
            try (InputStream in = TextsTest.class.getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                Properties properties = new Properties();
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                bundles.put(language, properties);
            }
        }
    }

    static Set<String> keys(Language language) {
        return new TreeSet<>(bundles.get(language).stringPropertyNames());
    }

    static Set<String> arguments(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(pattern);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    static List<String> tags(String pattern) {
        List<String> found = new ArrayList<>();
        Matcher m = TAG.matcher(pattern);
        while (m.find()) {
            found.add(m.group(0).startsWith("</") ? "/" + m.group(1) : m.group(1));
        }
        found.sort(null);
        return found;
    }

    @Test
    void every_message_key_exists_in_all_four_languages() {
        Set<String> english = keys(Language.EN);
        assertThat(english).hasSizeGreaterThan(80);
        for (Language language : Language.values()) {
            assertThat(keys(language)).as(language.name()).isEqualTo(english);
            for (String key : english) {
                assertThat(bundles.get(language).getProperty(key)).as(language + " " + key).isNotBlank();
            }
        }
    }

    @Test
    void each_translation_has_the_same_placeholders_as_the_english_text() {
        for (String key : keys(Language.EN)) {
            Set<String> english = arguments(bundles.get(Language.EN).getProperty(key));
            for (Language language : Language.values()) {
                assertThat(arguments(bundles.get(language).getProperty(key))).as(language + " " + key)
                        .isEqualTo(english);
            }
        }
    }

    @Test
    void every_pattern_is_valid_and_loses_no_apostrophe() {
        for (Language language : Language.values()) {
            for (String key : keys(language)) {
                String pattern = bundles.get(language).getProperty(key);
                new MessageFormat(pattern, language.locale());
                // MessageFormat treats ' as a quote and drops it: the texts use ’ instead.
                assertThat(pattern).as(language + " " + key).doesNotContain("'");
            }
        }
    }

    @Test
    void markup_is_only_in_html_texts_and_the_same_in_every_language() {
        for (String key : keys(Language.EN)) {
            List<String> english = tags(bundles.get(Language.EN).getProperty(key));
            if (!key.endsWith(".html")) {
                assertThat(english).as(key + " is plain text").isEmpty();
                continue;
            }
            assertThat(english).as(key).allMatch(tag -> ALLOWED_TAGS.contains(tag.replace("/", "")));
            for (Language language : Language.values()) {
                assertThat(tags(bundles.get(language).getProperty(key))).as(language + " " + key).isEqualTo(english);
            }
        }
    }

    @Test
    void translations_are_not_left_in_english() {
        // Texts that are the same in every language by nature: file names and block names.
        Set<String> universal = Set.of("link.unnamed_file", "key.curve.pair", "key.curve.named", "title.error");
        for (Language language : List.of(Language.FR, Language.DE, Language.ES)) {
            for (String key : keys(Language.EN)) {
                if (!universal.contains(key) && !key.equals("key.kind.block")) {
                    assertThat(bundles.get(language).getProperty(key)).as(language + " " + key)
                            .isNotEqualTo(bundles.get(Language.EN).getProperty(key));
                }
            }
        }
    }

    @Test
    void french_puts_a_no_break_space_before_high_punctuation() {
        for (String key : keys(Language.FR)) {
            assertThat(bundles.get(Language.FR).getProperty(key)).as(key)
                    .doesNotContainPattern(" [:;!?»]").doesNotContain("« ");
        }
    }

    @Test
    void apple_ui_terms_are_written_as_apple_localises_them() {
        assertThat(bundles.get(Language.FR).getProperty("steps.open.html"))
                .contains("Utilisateurs et accès → Intégrations", "Clés d’équipe");
        assertThat(bundles.get(Language.FR).getProperty("steps.generate.html")).contains("Gestionnaire d’apps");
        assertThat(bundles.get(Language.DE).getProperty("steps.open.html"))
                .contains("Benutzer und Zugriff → Integrationen");
        assertThat(bundles.get(Language.DE).getProperty("steps.generate.html")).contains("App-Manager");
        assertThat(bundles.get(Language.ES).getProperty("steps.open.html")).contains("Usuarios y acceso → Integraciones");
        assertThat(bundles.get(Language.ES).getProperty("steps.generate.html")).contains("Gestor de apps");
        // The verdicts name the same places and roles.
        assertThat(bundles.get(Language.FR).getProperty("verdict.role_too_low"))
                .contains("Gestionnaire d’apps", "Utilisateurs et accès → Intégrations", "Clés d’équipe");
        assertThat(bundles.get(Language.DE).getProperty("verdict.role_too_low"))
                .contains("App-Manager", "Benutzer und Zugriff → Integrationen", "Teamschlüssel");
        assertThat(bundles.get(Language.ES).getProperty("verdict.role_too_low"))
                .contains("Gestor de apps", "Usuarios y acceso → Integraciones", "Claves de equipo");
        assertThat(bundles.get(Language.FR).getProperty("field.issuer_id")).isEqualTo("ID de l’émetteur");
        assertThat(bundles.get(Language.DE).getProperty("field.issuer_id")).isEqualTo("Aussteller-ID");
        assertThat(bundles.get(Language.ES).getProperty("field.issuer_id")).isEqualTo("ID del emisor");
    }

    @Test
    void the_english_labels_are_the_slack_forms() {
        for (com.asconboard.ticket.Field field : com.asconboard.ticket.Field.values()) {
            assertThat(Texts.render(Language.EN, field.labelText())).isEqualTo(field.label());
        }
    }

    @Test
    void every_key_the_code_names_is_in_the_bundles() throws IOException {
        Pattern literal = Pattern.compile(
                "\"((?:page|format|title|form|preflight|steps|result|accepted|upload|link|key|field|details|checking"
                        + "|verdict|todo)\\.[a-z0-9_.]+)\"");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(source));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        named.removeIf(name -> name.matches(".*\\.(css|js|mustache)")); // the page's resources, not texts
        assertThat(named).as("keys found in the code").hasSizeGreaterThan(110);
        assertThat(keys(Language.EN)).containsAll(named);
    }

    @Test
    void arguments_are_rendered_in_the_readers_language() {
        Instant when = Instant.parse("2026-03-12T14:05:00Z");
        assertThat(Texts.render(Language.EN, Message.of("link.expired", when))).contains("March 12, 2026", "UTC");
        assertThat(Texts.render(Language.FR, Message.of("link.expired", when)))
                .startsWith("Ce lien a expiré le 12 mars 2026 à 14:05 UTC.");
        assertThat(Texts.render(Language.DE, Message.of("link.expired", when)))
                .startsWith("Dieser Link ist am 12. März 2026 um 14:05 UTC abgelaufen.");
        assertThat(Texts.render(Language.ES, Message.of("link.expired", when)))
                .startsWith("Este enlace caducó el 12 de marzo de 2026 a las 14:05 UTC.");
        Message refusal = Message.of("key.empty_file", Message.of("key.upload_original", Message.of("key.where")));
        assertThat(Texts.render(Language.DE, Message.of("link.tries_left", refusal, 1)))
                .endsWith("Sie können es mit diesem Link noch einmal versuchen.");
        assertThat(Texts.render(Language.EN, Message.of("link.tries_left", refusal, 4)))
                .endsWith("You can try 4 more times with this link.");
        assertThat(Texts.render(Language.EN, Message.of("link.tries_left", refusal, 1)))
                .endsWith("You can try 1 more time with this link.");
        assertThat(Texts.render(Language.FR, Message.of("upload.rate_limited", 2))).endsWith("Réessayez dans 2 minutes.");
    }

    @Test
    void string_arguments_are_shown_as_they_are() {
        // A pattern character in an argument is not a pattern: "{0}" from outside stays "{0}".
        assertThat(Texts.render(Language.EN, Message.of("key.kind.block", "{0} ''x"))).isEqualTo("a “{0} ''x” block");
    }
}
