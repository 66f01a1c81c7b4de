package com.asconboard.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServletAdapter;
import com.slack.api.bolt.request.Request;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /slack/events}: Bolt's own servlet plus the guards it lacks. Bolt reads the whole body
 * and parses it before it checks the signature, outside its error handling, so a huge body was held
 * in memory and a body its parser cannot read (bad JSON, a payload without the user or view Slack
 * always sends) became a 500 page naming the exception. Here the body is capped (413), its signature
 * is checked over the raw bytes before anything parses it (401; {@link SlackRequestGate} has already
 * refused requests without current signature headers), and an unreadable body is a 400, as Bolt
 * already answers requests it does not recognise.
 */
final class SlackEventsServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsServlet.class);
    /** Slack's largest requests, submitted modals, are tens of KiB. */
    static final int MAX_BODY = 1024 * 1024;
    /** Bodies are read into an array of this size first; only a larger one grows it. */
    private static final int FIRST_READ = 64 * 1024;
    /**
     * Bodies over {@link WebServer#RECEIVED_BEFORE_DISPATCH} are read here while they arrive, holding a
     * thread; this many at a time, so that forged large requests cannot take every thread Slack needs.
     */
    static final int LARGE_BODIES_AT_ONCE = 8;
    private static final String BODY = SlackEventsServlet.class.getName() + ".body";

    private final transient App app;
    private final transient SlackAppServletAdapter adapter;
    private final transient SlackSignature signature;
    private final transient Semaphore largeBodies = new Semaphore(LARGE_BODIES_AT_ONCE);

    SlackEventsServlet(App app) {
        this.app = app;
        this.signature = new SlackSignature(app.config().getSigningSecret());
        this.adapter = new SlackAppServletAdapter(app.config()) {
            @Override
            protected String doReadRequestBodyAsString(HttpServletRequest req) {
                return (String) req.getAttribute(BODY);
            }
        };
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            tooLarge(resp);
            return;
        }
        long declared = req.getContentLengthLong();
        boolean large = declared < 0 || declared > WebServer.RECEIVED_BEFORE_DISPATCH;
        if (large && !largeBodies.tryAcquire()) {
            resp.setHeader("Retry-After", "1");
            resp.setHeader("Connection", "close");
            write(resp, 503, "text/plain; charset=utf-8", "Busy");
            return;
        }
        Body body;
        try {
            body = readCapped(req);
        } finally {
            if (large) {
                largeBodies.release();
            }
        }
        if (body == null) {
            tooLarge(resp);
            return;
        }
        if (!signature.matches(req.getHeader(SlackSignature.TIMESTAMP_HEADER), body.bytes(), body.length(),
                req.getHeader(SlackSignature.SIGNATURE_HEADER))) {
            // Bolt's answer and log line for a bad signature, before anything parses the body.
            log.info("refused a Slack request with an invalid signature");
            write(resp, 401, "application/json", "{\"error\":\"invalid request\"}");
            return;
        }
        req.setAttribute(BODY, body.text(charset(req.getCharacterEncoding())));
        Request<?> slackRequest;
        try {
            slackRequest = adapter.buildSlackRequest(req);
        } catch (RuntimeException e) {
            // The message may quote the body; the type is enough to tell what happened.
            log.info("refused a Slack request that could not be read: {}", e.getClass().getSimpleName());
            slackRequest = null;
        }
        if (slackRequest == null) {
            write(resp, 400, "text/plain; charset=utf-8", "Invalid Request");
            return;
        }
        try {
            adapter.writeResponse(resp, app.run(slackRequest));
        } catch (Exception e) {
            String errorId = ErrorPages.newErrorId();
            log.error("error {}: failed to handle a Slack request", errorId, e);
            write(resp, 500, "application/json", "{\"error\":\"Something went wrong on our side.\",\"error_id\":\""
                    + errorId + "\"}");
        }
    }

    /** The bytes of a body as read, and how many of them there are. */
    private record Body(byte[] bytes, int length) {
        /**
         * The body as Bolt reads it (lines joined by the line separator), decoded once; a body without line
         * breaks, as forms are, is taken as it is.
         */
        String text(Charset charset) {
            String text = new String(bytes, 0, length, charset);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r') {
                    return text.lines().collect(Collectors.joining(System.lineSeparator()));
                }
            }
            return text;
        }
    }

    /**
     * The body's bytes, or null once it exceeds the cap. The array grows with what arrives rather than
     * with what the request declares, so a request that announces a mebibyte and sends little costs little.
     */
    private static Body readCapped(HttpServletRequest req) throws IOException {
        int declared = req.getContentLength();
        // One byte more than declared, so the end of the stream is read without growing the array.
        byte[] body = new byte[declared >= 0 && declared < FIRST_READ ? declared + 1 : FIRST_READ];
        int length = 0;
        try (InputStream in = req.getInputStream()) {
            while (true) {
                if (length == body.length) {
                    body = Arrays.copyOf(body, Math.min(MAX_BODY + 1, body.length * 2));
                }
                int n = in.read(body, length, body.length - length);
                if (n == -1) {
                    break;
                }
                length += n;
                if (length > MAX_BODY) {
                    return null;
                }
            }
        }
        return new Body(body, length);
    }

    private static Charset charset(String encoding) {
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void tooLarge(HttpServletResponse resp) throws IOException {
        // The rest of the body is not read; the connection closes after the answer.
        resp.setHeader("Connection", "close");
        write(resp, 413, "text/plain; charset=utf-8", "Request too large");
    }

    private static void write(HttpServletResponse resp, int status, String contentType, String body)
            throws IOException {
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.getWriter().write(body);
    }
}
