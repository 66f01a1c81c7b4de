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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /slack/events}: Bolt's own servlet plus two guards it lacks. Bolt reads the whole body
 * and parses it before it checks the signature, outside its error handling, so a huge body was held
 * in memory and a body its parser cannot read (bad JSON, a payload without the user or view Slack
 * always sends) became a 500 page naming the exception. Here the body is capped (413) and an
 * unreadable one is a 400, as Bolt already answers requests it does not recognise.
 */
final class SlackEventsServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsServlet.class);
    /** Slack's largest requests, submitted modals, are tens of KiB. */
    static final int MAX_BODY = 1024 * 1024;

    private final transient App app;
    private final transient SlackAppServletAdapter adapter;

    SlackEventsServlet(App app) {
        this.app = app;
        this.adapter = new SlackAppServletAdapter(app.config()) {
            @Override
            protected String doReadRequestBodyAsString(HttpServletRequest req) throws IOException {
                return readCapped(req);
            }
        };
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            tooLarge(resp);
            return;
        }
        Request<?> slackRequest;
        try {
            slackRequest = adapter.buildSlackRequest(req);
        } catch (TooLarge e) {
            tooLarge(resp);
            return;
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
            log.error("failed to handle a Slack request: {}", e.getMessage(), e);
            write(resp, 500, "application/json", "{\"error\":\"Something is wrong\"}");
        }
    }

    /**
     * The body as Bolt reads it (lines joined by the line separator), stopped once it exceeds the cap.
     * The bytes are read into one array sized by the declared length and decoded once, in the request's
     * charset or else UTF-8 (the servlet reader's buffers cost more than the body itself); a body without
     * line breaks, as forms are, is taken as it is.
     */
    private static String readCapped(HttpServletRequest req) throws IOException {
        int declared = req.getContentLength();
        // One byte more than declared, so the end of the stream is read without growing the array.
        byte[] body = new byte[declared >= 0 && declared <= MAX_BODY ? declared + 1 : 8192];
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
                    throw new TooLarge();
                }
            }
        }
        String text = new String(body, 0, length, charset(req.getCharacterEncoding()));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return text.lines().collect(Collectors.joining(System.lineSeparator()));
            }
        }
        return text;
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

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("request body over " + MAX_BODY + " characters");
        }
    }
}
