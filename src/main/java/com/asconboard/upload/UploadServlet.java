package com.asconboard.upload;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.ticket.Field;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code key}) with the details the page asks for next to it (text fields named as the Slack form's
 * inputs: {@code issuer_id}, {@code team_id}, {@code team_name}); {@code GET /upload/{token}/status} tells a
 * page waiting for Apple's verdict where the link stands, as JSON. The body is read into memory with a hard
 * cap and never touches the disk. Every answer is in the customer's language: {@code ?lang=} if given, else
 * {@code Accept-Language}.
 */
public final class UploadServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(UploadServlet.class);
    /** The whole request body; a real key file is about 250 bytes. */
    public static final int MAX_BODY = 16 * 1024;
    static final String FIELD = "key";
    /** The details a form may carry next to the file, each read up to this many characters. */
    static final List<Field> DETAIL_FIELDS = List.of(Field.ISSUER_ID, Field.TEAM_ID, Field.TEAM_NAME);
    static final int MAX_DETAIL_LENGTH = 1024;
    private static final String STATUS = "/status";
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

    /** {@code vendorAppleId}: the vendor user the customer is asked to invite, or null when not configured. */
    public UploadServlet(UploadLinks links, String vendorName, String vendorAppleId, String publicBase, Clock clock) {
        this.links = links;
        this.page = new UploadPage(vendorName, vendorAppleId);
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
        String path = path(req);
        if (path.endsWith(STATUS)) {
            LinkPage link = links.page(path.substring(0, path.length() - STATUS.length()));
            resp.setStatus(link.kind() == UploadResult.Kind.NOT_FOUND ? 404 : 200);
            resp.setContentType("application/json; charset=utf-8");
            resp.getWriter().write(page.status(language, link));
            return;
        }
        LinkPage link = links.page(path);
        html(resp, link.status(), switch (link.state()) {
            case FORM -> page.form(language, link, null, Map.of(), Map.of());
            case CHECKING -> page.checking(language, link.customer(), null, refreshStep(req));
            case VERIFIED -> page.verified(language, link);
            case STORED -> page.stored(language, link.customer());
            case REFUSED -> page.refusal(language, titleFor(link.kind()), link.customer(), link.message());
        });
    }

    /**
     * How many times a page waiting for Apple's verdict has refreshed itself ({@code ?check=}); any value that is
     * not a small number counts as the last.
     */
    private static int refreshStep(HttpServletRequest req) {
        String value = queryValue(req.getQueryString(), "check");
        if (value == null) {
            return 0;
        }
        if (value.isEmpty() || value.length() > 3 || !value.chars().allMatch(Character::isDigit)) {
            return UploadPage.MAX_REFRESHES;
        }
        return Math.min(Integer.parseInt(value), UploadPage.MAX_REFRESHES);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Language language = language(req);
        secure(resp, language);
        String ip = ClientAddress.of(req);
        if (path(req).endsWith(STATUS)) {
            resp.setHeader("Allow", "GET");
            refuseEarly(req, resp, 405, page.refusal(language, "title.not_found", null, Message.of("link.unknown")));
            return;
        }
        if (isCrossSite(req)) {
            log.info("refused a cross-site upload from {}", ip);
            refuseEarly(req, resp, 403, page.refusal(language, "title.cross_site", null,
                    Message.of("upload.cross_site")));
            return;
        }
        long wait = limiter.retryAfterSeconds(ip, path(req));
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
        String token = path(req);
        byte[] content = null;
        try {
            Upload upload = parse(req.getContentType(), body);
            if (upload.problem() != null) {
                respond(resp, token, UploadResult.of(UploadResult.Kind.INVALID, upload.problem()), upload.details(),
                        ip, language);
                return;
            }
            content = upload.content();
            respond(resp, token, links.submit(token, content, upload.fileName(), upload.details(), ip),
                    upload.details(), ip, language);
        } finally {
            Arrays.fill(body, (byte) 0);
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    private void respond(HttpServletResponse resp, String token, UploadResult result, Map<Field, String> entered,
            String ip, Language language) throws IOException {
        if (result.kind() != UploadResult.Kind.ACCEPTED) {
            limiter.recordRefusal(ip);
        }
        switch (result.kind()) {
            case ACCEPTED -> html(resp, 200, result.checking()
                    ? page.checking(language, null, result.message(), 0)
                    : page.accepted(language, null, result.message()));
            case INVALID, DETAILS_INVALID -> {
                LinkPage link = links.page(token);
                Message fileProblem = result.kind() == UploadResult.Kind.INVALID ? result.message() : null;
                if (link.showsForm()) {
                    html(resp, 400, page.form(language, link, fileProblem, result.fieldErrors(), entered));
                } else {
                    html(resp, 400, page.refusal(language, "title.invalid", link.customer(), result.message()));
                }
            }
            default -> html(resp, result.status(),
                    page.refusal(language, titleFor(result.kind()), null, result.message()));
        }
    }

    /** The name of a detail's input: the same as the Slack form's block for it. */
    static String formName(Field field) {
        return field.name().toLowerCase(Locale.ROOT);
    }

    /** The file, its name, the details sent with it (a field the body lacks is absent), or why it cannot be read. */
    private record Upload(byte[] content, String fileName, Map<Field, String> details, Message problem) {
        Upload(Message problem) {
            this(null, null, Map.of(), problem);
        }
    }

    /**
     * Finds the {@code key} file and the details in a multipart body held in memory. Package-private for the
     * fuzz test.
     */
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
            return new Upload(Message.of("upload.not_multipart", FIELD));
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
            Map<Field, String> details = details(parts);
            MultiPart.Part part = field(parts, FIELD);
            if (part == null) {
                return new Upload(null, null, details, Message.of("upload.no_file"));
            }
            ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
            byte[] content = new byte[buffer.remaining()];
            buffer.get(content);
            if (buffer.hasArray()) {
                Arrays.fill(buffer.array(), (byte) 0);
            }
            return new Upload(content, part.getFileName(), details, null);
        } catch (ExecutionException | TimeoutException | IOException e) {
            return new Upload(Message.of("upload.malformed"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Upload(Message.of("upload.interrupted"));
        }
    }

    /**
     * The detail fields of the form, as text, each cut at {@link #MAX_DETAIL_LENGTH} characters plus one (a value
     * that long is refused as too long by the form's rules anyway). A file sent under a detail's name is no detail.
     */
    private static Map<Field, String> details(MultiPartFormData.Parts parts) throws IOException {
        Map<Field, String> details = new EnumMap<>(Field.class);
        for (Field field : DETAIL_FIELDS) {
            MultiPart.Part part = field(parts, formName(field));
            if (part == null || part.getFileName() != null) {
                continue;
            }
            ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
            String value = StandardCharsets.UTF_8.decode(buffer).toString();
            details.put(field, value.length() > MAX_DETAIL_LENGTH ? value.substring(0, MAX_DETAIL_LENGTH + 1) : value);
        }
        return details;
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

    /** The path after /upload/: a token, or a token followed by /status. */
    private static String path(HttpServletRequest req) {
        String path = req.getPathInfo();
        return path == null || path.length() < 2 ? "" : path.substring(1);
    }

    private static String titleFor(UploadResult.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> "title.not_found";
            case TOO_MANY_ATTEMPTS -> "title.locked";
            case GONE -> "title.gone";
            case INVALID, DETAILS_INVALID -> "title.invalid";
            case BEING_CHECKED -> "title.checking";
            case ACCEPTED -> "title.accepted";
        };
    }
}
