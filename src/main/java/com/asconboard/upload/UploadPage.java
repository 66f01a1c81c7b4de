package com.asconboard.upload;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the upload page. Every value is HTML-escaped by the template engine; the page's only
 * style and script are inline and allowed by their hashes in the Content-Security-Policy.
 */
final class UploadPage {
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

    /** The page for a usable link: instructions and the upload form, with a problem from a previous try. */
    String form(LinkPage link, String expires, String problem) {
        Map<String, Object> values = base("Send your App Store Connect API key", link.customer());
        values.put("form", true);
        values.put("expires", expires);
        values.put("expectedKeyId", link.expectedKeyId());
        values.put("keyIdOrPlaceholder", link.expectedKeyId() == null ? "<Key ID>" : link.expectedKeyId());
        values.put("problem", problem);
        return template.execute(values);
    }

    String success(String customer, String message) {
        Map<String, Object> values = base("Key received", customer);
        values.put("success", message);
        return template.execute(values);
    }

    /** A page that only says why nothing can be done here. */
    String refusal(String title, String customer, String message) {
        Map<String, Object> values = base(title, customer);
        values.put("problem", message);
        return template.execute(values);
    }

    private Map<String, Object> base(String title, String customer) {
        Map<String, Object> values = new HashMap<>();
        values.put("title", title);
        values.put("vendor", vendor);
        values.put("customer", customer);
        values.put("css", css);
        values.put("js", js);
        return values;
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
