package com.asconboard.metrics;

import com.asconboard.asc.RateLimit;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Times every App Store Connect request — each attempt, so Apple's spurious 401s and the 429s that are retried
 * show too — by method, path template and status, until the answer's headers arrive; and keeps the rate-limit
 * budget the answer reports. An application interceptor on the OkHttp client that all those calls share.
 */
public final class AscCallTimer implements Interceptor {
    static final String NO_ANSWER = "none";

    private final BotMetrics metrics;

    AscCallTimer(BotMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String endpoint = AscEndpoint.template(request.url().encodedPath());
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException | RuntimeException e) {
            metrics.ascCall(request.method(), endpoint, NO_ANSWER, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        metrics.ascCall(request.method(), endpoint, Integer.toString(response.code()),
                Duration.ofNanos(System.nanoTime() - start));
        // Apple sends one line per window (hourly, per minute); the budget shown is the hourly one, else the
        // tightest window.
        RateLimit limit = RateLimit.parse(response.headers("X-Rate-Limit"));
        if (limit != null) {
            RateLimit.Window window = limit.window("user-hour").orElse(limit.tightest());
            if (window != null) {
                metrics.ascRateLimit(window.remaining(), window.limit());
            }
        }
        return response;
    }
}
