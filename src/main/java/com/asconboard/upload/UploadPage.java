package com.asconboard.upload;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.i18n.Texts;
import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.google.gson.JsonObject;
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
    /** Without JavaScript, a page waiting for Apple's verdict refreshes itself this often, this many times. */
    static final int REFRESH_SECONDS = 3;
    static final int MAX_REFRESHES = 10;
    /** With JavaScript, how many times the page asks the status endpoint (every 1.5 seconds) before giving up. */
    static final int POLLS = 60;

    private final Template template;
    private final String css;
    private final String js;
    private final String vendor;
    private final String contentSecurityPolicy;
    private final String vendorAppleId;

    /** {@code vendorAppleId}: the vendor user's Apple ID the customer must invite, or null when not configured. */
    UploadPage(String vendor, String vendorAppleId) {
        this.vendor = vendor;
        this.vendorAppleId = vendorAppleId;
        this.template = Mustache.compiler().escapeHTML(true).defaultValue("").compile(resource("page.mustache"));
        this.css = resource("page.css");
        this.js = resource("page.js");
        this.contentSecurityPolicy = "default-src 'none'; style-src '" + sha256(css) + "'; script-src '" + sha256(js)
                + "'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                + "base-uri 'none'";
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /**
     * The page for a usable link: pre-flight list, steps and the upload form with the details the ticket lacks.
     * {@code fileProblem} is why the previous file was refused; {@code fieldErrors} why entered details were;
     * {@code entered} what was typed, shown again. Without either problem, Apple's rejection of the previous key
     * (if any) heads the page.
     */
    String form(Language language, LinkPage link, Message fileProblem, Map<Field, Message> fieldErrors,
            Map<Field, String> entered) {
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
        if (!link.asked().isEmpty()) {
            form.put("details", details(language, link, fieldErrors, entered));
        }
        form.put("fileLabel", html(language, "form.file.html", fileName));
        form.put("send", text(language, "form.send"));
        form.put("rest", text(language, "form.rest", vendor));
        form.put("invalid", fileProblem != null);
        values.put("form", form);
        values.put("script", true);
        if (fileProblem != null) {
            values.put("problem", problem(language, "title.invalid", fileProblem, true));
        } else if (!fieldErrors.isEmpty()) {
            values.put("problem", fieldProblems(language, link.asked(), fieldErrors));
        } else if (link.message() != null) {
            values.put("problem", problem(language, "title.rejected", link.message(), true));
        }
        return template.execute(values);
    }

    /** The inputs for what only the customer knows, each with its label, hint and, if refused, its error. */
    private Map<String, Object> details(Language language, LinkPage link, Map<Field, Message> fieldErrors,
            Map<Field, String> entered) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field field : link.asked()) {
            Map<String, Object> input = new HashMap<>();
            input.put("name", UploadServlet.formName(field));
            boolean needed = field == Field.ISSUER_ID && link.details().issuerId() == null;
            String label = Texts.render(language, field.labelText());
            input.put("label", field == Field.ISSUER_ID ? label : text(language, "details.optional", label));
            input.put("hint", html(language, switch (field) {
                case ISSUER_ID -> "details.hint.issuer_id.html";
                case TEAM_ID -> "details.hint.team_id.html";
                default -> "details.hint.team_name.html";
            }));
            String value = entered.containsKey(field) ? entered.get(field) : field.valueIn(link.details());
            input.put("value", value == null ? "" : value);
            input.put("maxLength", field == Field.TEAM_NAME ? DetailsForm.MAX_NAME_LENGTH : 64);
            if (fieldErrors.containsKey(field)) {
                input.put("fieldError", Texts.render(language, fieldErrors.get(field)));
            }
            if (needed) {
                input.put("needed", true);
            }
            fields.add(input);
        }
        Map<String, Object> details = new HashMap<>();
        details.put("legend", text(language, "details.title"));
        // The Issuer ID the ticket has is asked again only after Apple did not accept the key with it.
        boolean checkIssuerId = link.details().issuerId() != null && link.asked().contains(Field.ISSUER_ID);
        details.put("detailsIntro", text(language, checkIssuerId ? "details.intro_check" : "details.intro"));
        details.put("fields", fields);
        return details;
    }

    /** The error summary for refused details: one problem per field, each a link to its input. */
    private Map<String, Object> fieldProblems(Language language, List<Field> order, Map<Field, Message> errors) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Field field : Field.values()) {
            if (errors.containsKey(field)) {
                list.add(Map.of("target", UploadServlet.formName(field), "message",
                        Texts.render(language, errors.get(field))));
            }
        }
        Map<String, Object> problem = new HashMap<>();
        problem.put("heading", text(language, "details.problem"));
        problem.put("items", Map.of("list", list));
        problem.put("focus", true);
        return problem;
    }

    /** The key was taken and nothing more is asked of Apple now (the ticket lacks what a verification needs). */
    String accepted(Language language, String customer, Message message) {
        Map<String, Object> values = base(language, "title.accepted", customer);
        values.put("success", Map.of("text", Texts.render(language, message),
                "next", text(language, "accepted.next", vendor)));
        return template.execute(values);
    }

    /**
     * Apple is being asked about the key. {@code received} says the key was just taken (the answer to the upload),
     * null when the page is shown again. {@code step} counts the refreshes so far: with JavaScript the page asks
     * the status endpoint; without, it refreshes itself every {@value #REFRESH_SECONDS} seconds until
     * {@value #MAX_REFRESHES} refreshes have passed, then says what happens next.
     */
    String checking(Language language, String customer, Message received, int step) {
        boolean last = step >= MAX_REFRESHES;
        Map<String, Object> values = base(language, last ? "title.still_checking" : received != null
                ? "title.accepted" : "title.checking", customer);
        if (received != null) {
            values.put("success", Map.of("text", Texts.render(language, received)));
        }
        Map<String, Object> checking = new HashMap<>();
        if (last) {
            checking.put("text", text(language, "checking.still", vendor));
            checking.put("again", text(language, "checking.again"));
        } else {
            checking.put("text", text(language, "checking.now"));
            checking.put("poll", POLLS);
            values.put("refresh", Map.of("seconds", REFRESH_SECONDS, "step", step + 1));
            values.put("script", true);
        }
        values.put("checking", checking);
        return template.execute(values);
    }

    /** Apple accepts the key: what is still to do on the customer's side, or that nothing is. */
    String verified(Language language, LinkPage link) {
        Map<String, Object> values = base(language, "title.verified", link.customer());
        List<String> tasks = new ArrayList<>();
        String aside = null;
        for (StillToDo left : link.toDo()) {
            switch (left) {
                case INVITE_VENDOR_USER -> tasks.add(vendorAppleId == null ? text(language, "todo.invite_user", vendor)
                        : text(language, "todo.invite_named_user", vendor, vendorAppleId));
                case FREE_SLOT -> tasks.add(text(language, "todo.free_slot", vendor));
                case VENDOR_ACCEPTS_INVITATION -> aside = text(language, "todo.invitation_pending", vendor);
            }
        }
        Map<String, Object> success = new HashMap<>();
        success.put("text", text(language, "verdict.verified", vendor));
        success.put("focus", true);
        if (tasks.isEmpty()) {
            success.put("next", text(language, "verdict.nothing_left"));
        }
        values.put("success", success);
        if (!tasks.isEmpty()) {
            values.put("toDo", Map.of("toDoTitle", text(language, "verdict.to_do"), "tasks", tasks));
        }
        if (aside != null) {
            values.put("aside", aside);
        }
        return template.execute(values);
    }

    /** The key is stored, but Apple could not tell: the vendor follows up. */
    String stored(Language language, String customer) {
        Map<String, Object> values = base(language, "title.stored", customer);
        values.put("success", Map.of("text", text(language, "verdict.unconfirmed", vendor), "focus", true));
        return template.execute(values);
    }

    /**
     * What the status endpoint answers: the link's state and its main text in {@code language}, nothing
     * else (no token, no key, no identifier).
     */
    String status(Language language, LinkPage link) {
        String state;
        Message text;
        switch (link.state()) {
            case FORM -> {
                state = link.message() != null ? "rejected" : "open";
                text = link.message() != null ? link.message() : Message.of("title.form");
            }
            case CHECKING -> {
                state = "checking";
                text = Message.of("checking.now");
            }
            case VERIFIED -> {
                state = "verified";
                text = Message.of("verdict.verified", vendor);
            }
            case STORED -> {
                state = "stored";
                text = Message.of("verdict.unconfirmed", vendor);
            }
            default -> {
                state = switch (link.kind()) {
                    case NOT_FOUND -> "not_found";
                    case TOO_MANY_ATTEMPTS -> "locked";
                    default -> "gone";
                };
                text = link.message();
            }
        }
        JsonObject json = new JsonObject();
        json.addProperty("state", state);
        json.addProperty("text", Texts.render(language, text));
        return json.toString();
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
        problem.put("focus", fixable);
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
