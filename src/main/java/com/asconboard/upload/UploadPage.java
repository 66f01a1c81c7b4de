package com.asconboard.upload;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.i18n.Texts;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the upload page in the customer's language. Texts come from the {@code i18n/upload}
 * bundles; every value is HTML-escaped (the patterns of {@code .html} texts are markup of our own,
 * their arguments are escaped). The page's only style and script are inline and allowed by their
 * hashes in the Content-Security-Policy.
 */
final class UploadPage {
    static final String APP_STORE_CONNECT = "https://appstoreconnect.apple.com/access/integrations/api";

    private final Template template;
    private final String css;
    private final String js;
    private final String vendor;
    private final String contentSecurityPolicy;

    UploadPage(String vendor) {
        this.vendor = vendor;
        this.template = Mustache.compiler().escapeHTML(true).defaultValue("").compile(resource("page.mustache"));
        this.css = resource("page.css");
        this.js = resource("page.js");
        this.contentSecurityPolicy = "default-src 'none'; style-src '" + sha256(css) + "'; script-src '" + sha256(js)
                + "'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** The page for a usable link: pre-flight list, steps and the upload form, with a problem from a previous try. */
    String form(Language language, LinkPage link, Message problem) {
        Map<String, Object> values = base(language, "title.form", link.customer());
        String fileName = "AuthKey_" + (link.expectedKeyId() == null
                ? Texts.pattern(language, "form.key_id_placeholder") : link.expectedKeyId()) + ".p8";
        Map<String, Object> form = new HashMap<>();
        form.put("intro", html(language, "form.intro.html", vendor, link.expiresAt()));
        form.put("preflightTitle", text(language, "preflight.title"));
        form.put("preflightIntro", text(language, "preflight.intro"));
        form.put("preflight", List.of(html(language, "preflight.team_key.html"), html(language, "preflight.role.html"),
                html(language, "preflight.team.html"), html(language, "preflight.api_access.html"),
                html(language, "preflight.name.html", vendor)));
        form.put("stepsTitle", text(language, "steps.title"));
        Markup appStoreConnect = new Markup("<a href=\"" + APP_STORE_CONNECT
                + "\" rel=\"noopener noreferrer\">App Store Connect</a>");
        form.put("steps", List.of(html(language, "steps.open.html", appStoreConnect),
                html(language, "steps.generate.html", vendor), html(language, "steps.download.html", fileName),
                html(language, "steps.send.html")));
        if (link.expectedKeyId() != null) {
            form.put("expected", html(language, "form.expected.html", link.expectedKeyId()));
        }
        form.put("fileLabel", html(language, "form.file.html", fileName));
        form.put("send", text(language, "form.send"));
        form.put("rest", text(language, "form.rest", vendor));
        form.put("invalid", problem != null);
        values.put("form", form);
        if (problem != null) {
            values.put("problem", problem(language, "title.invalid", problem, true));
        }
        return template.execute(values);
    }

    /** The key was taken. */
    String accepted(Language language, String customer, Message message) {
        Map<String, Object> values = base(language, "title.accepted", customer);
        values.put("success", Map.of("text", Texts.render(language, message),
                "next", text(language, "accepted.next", vendor)));
        return template.execute(values);
    }

    /** A page that only says why nothing can be done here; {@code titleKey} names it (title.*). */
    String refusal(Language language, String titleKey, String customer, Message message) {
        Map<String, Object> values = base(language, titleKey, customer);
        values.put("problem", problem(language, null, message, false));
        return template.execute(values);
    }

    /** A failure of our own: a sentence and a reference the log also carries, never the exception's text. */
    String error(Language language, String reference) {
        return refusal(language, "title.error", null, Message.of("upload.error", vendor, reference));
    }

    private Map<String, Object> problem(Language language, String headingKey, Message message, boolean fixable) {
        Map<String, Object> problem = new HashMap<>();
        problem.put("text", Texts.render(language, message));
        if (headingKey != null) {
            problem.put("heading", text(language, headingKey));
        }
        if (fixable) {
            problem.put("fix", text(language, "result.fix"));
        }
        return problem;
    }

    private Map<String, Object> base(Language language, String titleKey, String customer) {
        Map<String, Object> values = new HashMap<>();
        values.put("lang", language.tag());
        values.put("title", text(language, titleKey));
        values.put("vendor", vendor);
        if (customer != null) {
            values.put("customerLine", html(language, "page.for.html", customer));
        }
        values.put("languageLabel", text(language, "page.language"));
        List<Map<String, Object>> languages = new ArrayList<>();
        for (Language other : Language.values()) {
            languages.add(Map.of("tag", other.tag(), "name", other.endonym(), "current", other == language));
        }
        values.put("languages", languages);
        values.put("css", css);
        values.put("js", js);
        return values;
    }

    private static String text(Language language, String key, Object... args) {
        return Texts.render(language, Message.of(key, args));
    }

    /** A markup pattern with its arguments escaped, except {@link Markup} of our own. */
    private static String html(Language language, String key, Object... args) {
        return Texts.format(language, key, List.of(args), Escapers.HTML::escape);
    }

    /** Markup written here, inserted into a pattern as it is (the escaping applies to text arguments only). */
    private record Markup(String html) {
        @Override
        public String toString() {
            return html;
        }
    }

    private static String resource(String name) {
        try (InputStream in = UploadPage.class.getResourceAsStream("/upload/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /upload/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
