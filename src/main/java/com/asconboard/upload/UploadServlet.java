package com.asconboard.upload;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.web.ClientAddress;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /upload/{token}} shows the page; {@code POST} takes the key file (multipart field
 * {@code key}). The body is read into memory with a hard cap and never touches the disk. Every
 * answer is in the customer's language: {@code ?lang=} if given, else {@code Accept-Language}.
 */
public final class UploadServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(UploadServlet.class);
    /** The whole request body; a real key file is about 250 bytes. */
    public static final int MAX_BODY = 16 * 1024;
    static final String FIELD = "key";
    /**
     * How much of a body that is refused early (too large, cross-site, rate-limited) is read and
     * discarded before answering: a browser still sending when the connection closes shows a reset
     * instead of the answer. A body declared longer is not read at all.
     */
    static final int MAX_DRAINED = 1024 * 1024;
    private static final SecureRandom REFERENCES = new SecureRandom();
    private static final Set<String> SAME_SITE = Set.of("same-origin", "none");

    private final transient UploadLinks links;
    private final transient UploadPage page;
    private final transient AttemptLimiter limiter;
    private final String publicOrigin;
    private final boolean https;

    public UploadServlet(UploadLinks links, String vendorName, String publicBase, Clock clock) {
        this.links = links;
        this.page = new UploadPage(vendorName);
        this.limiter = new AttemptLimiter(clock, 50, Duration.ofMinutes(10), token -> links.page(token).showsForm());
        URI base = URI.create(publicBase);
        this.publicOrigin = origin(base.getScheme(), base.getHost(), base.getPort());
        this.https = "https".equals(base.getScheme());
    }

    /** Any failure of ours is a short page with a reference that the log also carries, never the exception's text. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        try {
            super.service(req, resp);
        } catch (RuntimeException e) {
            String reference = newReference();
            log.error("upload page failed (error reference {})", reference, e);
            if (!resp.isCommitted()) {
                resp.reset();
                Language language = language(req);
                secure(resp, language);
                resp.setHeader("Connection", "close");
                html(resp, 500, page.error(language, reference));
            }
        }
    }

    /** Ten hex digits: enough to find one failure in the log, nothing about the request. */
    private static String newReference() {
        byte[] random = new byte[5];
        REFERENCES.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Language language = language(req);
        secure(resp, language);
        LinkPage link = links.page(token(req));
        if (link.showsForm()) {
            html(resp, 200, page.form(language, link, null));
        } else {
            html(resp, link.kind().status(),
                    page.refusal(language, titleFor(link.kind()), link.customer(), link.message()));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Language language = language(req);
        secure(resp, language);
        String ip = ClientAddress.of(req);
        if (isCrossSite(req)) {
            log.info("refused a cross-site upload from {}", ip);
            refuseEarly(req, resp, 403, page.refusal(language, "title.cross_site", null,
                    Message.of("upload.cross_site")));
            return;
        }
        long wait = limiter.retryAfterSeconds(ip, token(req));
        if (wait > 0) {
            resp.setHeader("Retry-After", Long.toString(wait));
            refuseEarly(req, resp, 429, page.refusal(language, "title.rate_limited", null,
                    Message.of("upload.rate_limited", Math.max(1, (wait + 59) / 60))));
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            tooLarge(req, resp, ip, language);
            return;
        }
        byte[] body = readCapped(req.getInputStream());
        if (body == null) {
            tooLarge(req, resp, ip, language);
            return;
        }
        String token = token(req);
        byte[] content = null;
        try {
            Upload upload = parse(req.getContentType(), body);
            if (upload.problem() != null) {
                respond(resp, token, UploadResult.of(UploadResult.Kind.INVALID, upload.problem()), ip, language);
                return;
            }
            content = upload.content();
            respond(resp, token, links.submit(token, content, upload.fileName(), ip), ip, language);
        } finally {
            Arrays.fill(body, (byte) 0);
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    private void respond(HttpServletResponse resp, String token, UploadResult result, String ip, Language language)
            throws IOException {
        if (result.kind() != UploadResult.Kind.ACCEPTED) {
            limiter.recordRefusal(ip);
        }
        switch (result.kind()) {
            case ACCEPTED -> html(resp, 200, page.accepted(language, null, result.message()));
            case INVALID -> {
                LinkPage link = links.page(token);
                if (link.showsForm()) {
                    html(resp, 400, page.form(language, link, result.message()));
                } else {
                    html(resp, 400, page.refusal(language, "title.invalid", link.customer(), result.message()));
                }
            }
            default -> html(resp, result.status(),
                    page.refusal(language, titleFor(result.kind()), null, result.message()));
        }
    }

    private record Upload(byte[] content, String fileName, Message problem) {
    }

    /** Finds the {@code key} file in a multipart body held in memory. Package-private for the fuzz test. */
    static Upload parse(String contentType, byte[] body) {
        String boundary;
        try {
            boundary = contentType == null
                    || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                    ? null : MultiPart.extractBoundary(contentType);
        } catch (IllegalArgumentException e) {
            // Jetty throws on a malformed header such as an unterminated quote: the client's mistake, not ours.
            boundary = null;
        }
        if (boundary == null || boundary.isEmpty()) {
            return new Upload(null, null, Message.of("upload.not_multipart", FIELD));
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxLength(MAX_BODY);
        parser.setMaxMemoryFileSize(MAX_BODY + 1L);
        parser.setMaxParts(8);
        // A browser's part headers are a few hundred bytes even with a 255-character file name; Jetty's
        // default is no limit.
        parser.setPartHeadersMaxLength(4 * 1024);
        Parsed parsed = new Parsed();
        parser.parse(Content.Source.from(ByteBuffer.wrap(body)), parsed);
        try (MultiPartFormData.Parts parts = parsed.get(5, TimeUnit.SECONDS)) {
            MultiPart.Part part = field(parts, FIELD);
            if (part == null) {
                return new Upload(null, null, Message.of("upload.no_file"));
            }
            ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
            byte[] content = new byte[buffer.remaining()];
            buffer.get(content);
            if (buffer.hasArray()) {
                Arrays.fill(buffer.array(), (byte) 0);
            }
            return new Upload(content, part.getFileName(), null);
        } catch (ExecutionException | TimeoutException | IOException e) {
            return new Upload(null, null, Message.of("upload.malformed"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Upload(null, null, Message.of("upload.interrupted"));
        }
    }

    /** Jetty's callback for the parsed parts, as a future; parsing bytes already in memory never blocks. */
    private static final class Parsed extends Promise.Completable<MultiPartFormData.Parts>
            implements Promise.Invocable<MultiPartFormData.Parts> {
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** The first part named {@code name}; Jetty's own getFirst throws on a part that has no name. */
    private static MultiPart.Part field(MultiPartFormData.Parts parts, String name) {
        for (MultiPart.Part part : parts) {
            if (name.equals(part.getName())) {
                return part;
            }
        }
        return null;
    }

    /** Reads at most {@link #MAX_BODY} bytes; null when the body is longer. */
    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] chunk = new byte[4096];
        int total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            total += n;
            if (total > MAX_BODY) {
                Arrays.fill(chunk, (byte) 0);
                return null;
            }
            out.write(chunk, 0, n);
        }
        Arrays.fill(chunk, (byte) 0);
        return out.toByteArray();
    }

    private void tooLarge(HttpServletRequest req, HttpServletResponse resp, String ip, Language language)
            throws IOException {
        limiter.recordRefusal(ip);
        refuseEarly(req, resp, 413, page.refusal(language, "title.too_large", null,
                Message.of("upload.too_large", MAX_BODY / 1024)));
    }

    /**
     * Answers before the body was read (or while part of it is unread): reads and discards the rest,
     * up to {@link #MAX_DRAINED}, so that the client has finished sending and reads the page instead of
     * a reset connection; then the connection closes.
     */
    private static void refuseEarly(HttpServletRequest req, HttpServletResponse resp, int status, String html)
            throws IOException {
        drain(req);
        resp.setHeader("Connection", "close");
        html(resp, status, html);
    }

    private static void drain(HttpServletRequest req) {
        long declared = req.getContentLengthLong();
        // A client waiting for "100 Continue" has sent nothing and sends nothing once it reads the answer.
        boolean waitsToSend = "100-continue".equalsIgnoreCase(req.getHeader("Expect"));
        if (declared > MAX_DRAINED || declared == 0 || waitsToSend) {
            return;
        }
        byte[] discard = new byte[8192];
        long total = 0;
        try {
            InputStream in = req.getInputStream();
            int n;
            while (total < MAX_DRAINED && (n = in.read(discard, 0, (int) Math.min(discard.length, MAX_DRAINED - total)))
                    != -1) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or stalled: there is no one left to read the answer anyway.
        } finally {
            Arrays.fill(discard, (byte) 0);
        }
    }

    /** A browser tells where a form post came from; anything but this site is refused. */
    private boolean isCrossSite(HttpServletRequest req) {
        // Browsers that send Sec-Fetch-Site are trusted on it: under Referrer-Policy no-referrer they send
        // "Origin: null" even for the page's own form.
        String fetchSite = req.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            return !SAME_SITE.contains(fetchSite.toLowerCase(Locale.ROOT));
        }
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String own = origin(req.getScheme(), req.getServerName(), req.getServerPort());
        return !origin.equals(publicOrigin) && !origin.equals(own);
    }

    private static String origin(String scheme, String host, int port) {
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme)
                && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /** The explicit {@code ?lang=} (the page's links and form carry it), else the browser's preference. */
    static Language language(HttpServletRequest req) {
        return Language.choose(queryValue(req.getQueryString(), "lang"), req.getHeader("Accept-Language"));
    }

    /**
     * One value of the query string, read without the servlet's parameter parsing, which would read a
     * form body for it. Only plain values are looked for, so no decoding is needed.
     */
    private static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&", 20)) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private void secure(HttpServletResponse resp, Language language) {
        resp.setHeader("Content-Security-Policy", page.contentSecurityPolicy());
        // same-origin, not no-referrer: under no-referrer, browsers that send no Sec-Fetch-Site (older Safari)
        // send "Origin: null" with the page's own form, which cannot be told from a cross-site post.
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("Content-Language", language.tag());
        resp.setHeader("Vary", "Accept-Language");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("X-Robots-Tag", "noindex, nofollow");
        if (https) {
            resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }

    private static void html(HttpServletResponse resp, int status, String html) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html; charset=utf-8");
        resp.getWriter().write(html);
    }

    private static String token(HttpServletRequest req) {
        String path = req.getPathInfo();
        return path == null || path.length() < 2 ? "" : path.substring(1);
    }

    private static String titleFor(UploadResult.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> "title.not_found";
            case TOO_MANY_ATTEMPTS -> "title.locked";
            case GONE -> "title.gone";
            case INVALID -> "title.invalid";
            case ACCEPTED -> "title.accepted";
        };
    }
}
