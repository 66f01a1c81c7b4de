package com.asconboard.management;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * A probe: 200 with the report's JSON when it says ready, else 503. {@link #liveness()} always says ready —
 * that the process answers HTTP at all is what it reports — and never touches the database, so a database blip
 * does not get every instance restarted.
 */
public final class ProbeServlet extends HttpServlet {
    private final transient Supplier<Readiness.Report> report;

    public ProbeServlet(Supplier<Readiness.Report> report) {
        this.report = report;
    }

    public static ProbeServlet liveness() {
        Readiness.Report alive = new Readiness.Report(false, java.util.List.of());
        return new ProbeServlet(() -> alive);
    }

    public static ProbeServlet readiness(Readiness readiness) {
        return new ProbeServlet(readiness::report);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Readiness.Report now = report.get();
        resp.setStatus(now.ready() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(now.json());
    }
}
