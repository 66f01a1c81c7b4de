package com.asconboard.web;

import java.time.Clock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request to {@code /slack/events} whose signature headers are missing, malformed or not
 * dated now, with Bolt's own 401 and before a byte of its body is read, so that unsigned requests
 * cost neither memory nor a thread.
 */
final class SlackRequestGate extends Handler.Wrapper {
    static final String PATH = "/slack/events";
    /** What Bolt answers for a bad signature. */
    private static final String REFUSAL = "{\"error\":\"invalid request\"}";

    private final Clock clock;

    SlackRequestGate(Handler next, Clock clock) {
        super(next);
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request)) || SlackSignature.hasCurrentHeaders(
                request.getHeaders().get(SlackSignature.TIMESTAMP_HEADER),
                request.getHeaders().get(SlackSignature.SIGNATURE_HEADER), clock.instant())) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.UNAUTHORIZED_401);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // The body is not read: the connection closes after the answer.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        Content.Sink.write(response, true, REFUSAL, callback);
        return true;
    }
}
