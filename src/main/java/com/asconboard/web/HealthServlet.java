package com.asconboard.web;

import com.asconboard.store.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz}: 200 when the database answers and the instance is not draining, 503 otherwise — so a
 * load balancer stops sending to an instance that is stopping before it stops.
 */
public final class HealthServlet extends HttpServlet {
    private final transient Database database;
    private final transient BooleanSupplier draining;

    public HealthServlet(Database database, BooleanSupplier draining) {
        this.database = database;
        this.draining = draining;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (draining.getAsBoolean()) {
            write(resp, 503, "{\"status\":\"draining\"}");
            return;
        }
        boolean healthy = database.isHealthy();
        write(resp, healthy ? 200 : 503, healthy ? "{\"status\":\"ok\"}"
                : "{\"status\":\"unavailable\",\"database\":\"down\"}");
    }

    private static void write(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(json);
    }
}
