package com.asconboard.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Counts uploads by the status each POST to {@code /upload/*} is answered with: the HTTP contract already gives
 * every refusal its own status, so the upload code itself needs no metrics call. GETs (the page) are not counted.
 */
public final class UploadCounter extends HttpFilter {
    private final transient BotMetrics metrics;

    UploadCounter(BotMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        boolean completed = false;
        try {
            chain.doFilter(request, response);
            completed = true;
        } finally {
            metrics.upload(completed ? UploadOutcome.of(response.getStatus()) : UploadOutcome.ERROR);
        }
    }
}
