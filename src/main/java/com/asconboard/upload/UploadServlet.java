package com.asconboard.upload;

import com.asconboard.web.ClientAddress;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
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
 * {@code key}). The body is read into memory with a hard cap and never touches the disk.
 */
public final class UploadServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(UploadServlet.class);
    /** The whole request body; a real key file is about 250 bytes. */
    public static final int MAX_BODY = 16 * 1024;
    static final String FIELD = "key";
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

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        secure(resp);
        LinkPage link = links.page(token(req));
        if (link.showsForm()) {
            html(resp, 200, page.form(link, UploadLinks.WHEN.format(link.expiresAt()), null));
        } else {
            html(resp, link.kind().status(), page.refusal(titleFor(link.kind()), link.customer(), link.message()));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        secure(resp);
        String ip = ClientAddress.of(req);
        if (isCrossSite(req)) {
            log.info("refused a cross-site upload from {}", ip);
            html(resp, 403, page.refusal("Upload refused", null,
                    "This upload came from another site and was refused. Open the link the vendor sent you "
                            + "and upload the file from that page."));
            return;
        }
        long wait = limiter.retryAfterSeconds(ip, token(req));
        if (wait > 0) {
            resp.setHeader("Retry-After", Long.toString(wait));
            html(resp, 429, page.refusal("Too many attempts", null, "Too many uploads were refused from your "
                    + "network. Try again in " + Math.max(1, wait / 60) + " minute(s)."));
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            tooLarge(resp, ip);
            return;
        }
        byte[] body = readCapped(req.getInputStream());
        if (body == null) {
            tooLarge(resp, ip);
            return;
        }
        String token = token(req);
        byte[] content = null;
        try {
            Upload upload = parse(req.getContentType(), body);
            if (upload.problem() != null) {
                respond(req, resp, token, UploadResult.of(UploadResult.Kind.INVALID, upload.problem()), ip);
                return;
            }
            content = upload.content();
            respond(req, resp, token, links.submit(token, content, upload.fileName(), ip), ip);
        } finally {
            Arrays.fill(body, (byte) 0);
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, String token, UploadResult result,
            String ip) throws IOException {
        if (result.kind() != UploadResult.Kind.ACCEPTED) {
            limiter.recordRefusal(ip);
        }
        switch (result.kind()) {
            case ACCEPTED -> html(resp, 200, page.success(null, result.message()));
            case INVALID -> {
                LinkPage link = links.page(token);
                if (link.showsForm()) {
                    html(resp, 400, page.form(link, UploadLinks.WHEN.format(link.expiresAt()), result.message()));
                } else {
                    html(resp, 400, page.refusal("The file was not accepted", link.customer(), result.message()));
                }
            }
            default -> html(resp, result.status(), page.refusal(titleFor(result.kind()), null, result.message()));
        }
    }

    private record Upload(byte[] content, String fileName, String problem) {
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
            return new Upload(null, null, "Send the key file as a form upload (multipart/form-data) in the field "
                    + "\"" + FIELD + "\", as the page's form does.");
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
                return new Upload(null, null, "No file was attached. Choose your AuthKey_<Key ID>.p8 file and "
                        + "send it again.");
            }
            ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
            byte[] content = new byte[buffer.remaining()];
            buffer.get(content);
            if (buffer.hasArray()) {
                Arrays.fill(buffer.array(), (byte) 0);
            }
            return new Upload(content, part.getFileName(), null);
        } catch (ExecutionException | TimeoutException | IOException e) {
            return new Upload(null, null, "The upload was malformed and could not be read. Send the file again "
                    + "from the page's form.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Upload(null, null, "The upload was interrupted. Send the file again.");
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

    private void tooLarge(HttpServletResponse resp, String ip) throws IOException {
        limiter.recordRefusal(ip);
        // The rest of the body is not read; the connection closes after the answer.
        resp.setHeader("Connection", "close");
        html(resp, 413, page.refusal("File too large", null, "That file is larger than " + (MAX_BODY / 1024)
                + " KiB. An App Store Connect API key file is a small text file of about 250 bytes: "
                + "choose the AuthKey_<Key ID>.p8 file you downloaded from App Store Connect."));
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

    private void secure(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", page.contentSecurityPolicy());
        resp.setHeader("Referrer-Policy", "no-referrer");
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
            case NOT_FOUND -> "Link not found";
            case TOO_MANY_ATTEMPTS -> "Link locked";
            case GONE -> "This link no longer works";
            default -> "Upload";
        };
    }
}
