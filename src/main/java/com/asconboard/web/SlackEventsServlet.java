package com.asconboard.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServletAdapter;
import com.slack.api.bolt.request.Request;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Reader;
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
                return readCapped(req.getReader(), req.getContentLength());
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
     * Bolt's reading (lines joined by the line separator), stopped once the body exceeds the cap. The
     * buffers are sized by the declared length, and a body without line breaks, as forms are, is
     * taken as it is.
     */
    private static String readCapped(Reader reader, int declaredLength) throws IOException {
        int expected = declaredLength > 0 && declaredLength <= MAX_BODY ? declaredLength : 8192;
        StringBuilder body = new StringBuilder(expected);
        char[] chunk = new char[Math.min(expected + 1, 8192)];
        int n;
        while ((n = reader.read(chunk)) != -1) {
            if (body.length() + n > MAX_BODY) {
                throw new TooLarge();
            }
            body.append(chunk, 0, n);
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\n' || c == '\r') {
                return body.toString().lines().collect(Collectors.joining(System.lineSeparator()));
            }
        }
        return body.toString();
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
