package com.asconboard.metrics;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import java.time.Duration;
import java.util.Locale;

/**
 * Times each Slack request from when Bolt hands it to the listeners until the ack, by kind (Bolt's request
 * type: command, block_action, view_submission, …) and outcome (ok, rejected: a 4xx answer, failed: a 5xx or an
 * exception). A Bolt middleware, so requests over HTTP and over Socket Mode both count; it runs after Bolt's
 * own signature check, so forged requests are not among them.
 */
public final class SlackRequestTimer implements Middleware {
    private final BotMetrics metrics;

    SlackRequestTimer(BotMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bolt's Middleware interface takes the raw Request
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        long start = System.nanoTime();
        String kind = kind(req);
        String outcome = "failed";
        try {
            Response answer = chain.next(req);
            int status = answer.getStatusCode() == null ? 200 : answer.getStatusCode();
            outcome = status < 400 ? "ok" : status < 500 ? "rejected" : "failed";
            return answer;
        } finally {
            metrics.slackRequest(kind, outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** {@code BlockAction} → {@code block_action}: a Bolt enum, so the tag's values are bounded. */
    static String kind(Request<?> req) {
        if (req.getRequestType() == null) {
            return "unknown";
        }
        return req.getRequestType().name().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
