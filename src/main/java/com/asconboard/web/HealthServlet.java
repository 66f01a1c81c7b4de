package com.asconboard.web;

import com.asconboard.store.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /healthz}: 200 when the database answers, 503 when it does not. */
public final class HealthServlet extends HttpServlet {
    private final transient Database database;

    public HealthServlet(Database database) {
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean healthy = database.isHealthy();
        resp.setStatus(healthy ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(healthy ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\",\"database\":\"down\"}");
    }
}
