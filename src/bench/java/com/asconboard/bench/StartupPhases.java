package com.asconboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a start-up's time goes, read from the JVM's own class-loading log ({@code -Xlog:class+load:file=…:uptime}):
 * each phase of start-up loads its library's classes first, so the uptime at which a phase's first class loads
 * marks when it began. No change to the bot is needed to see it, and the same markers work for the bare app.
 */
final class StartupPhases {
    /** A phase, and the class whose first loading marks its start. */
    record Marker(String phase, String firstClass) {
    }

    static final List<Marker> BOT = List.of(
            new Marker("settings read, logging configured", "com.asconboard.Main"),
            new Marker("metrics registry", "com.asconboard.AscOnboard"),
            new Marker("connection pool, database opened", "com.zaxxer.hikari.HikariConfig"),
            new Marker("Flyway migrate", "org.flywaydb.core.Flyway"),
            new Marker("Flyway info: are the migrations applied?", "org.flywaydb.core.internal.command.DbInfo"),
            new Marker("management server (Jetty)", "org.eclipse.jetty.server.Server"),
            new Marker("services wired, Slack client", "com.asconboard.store.JdbcSecretStore"),
            new Marker("Bolt app started (auth.test)", "com.slack.api.bolt.App"),
            new Marker("public web server (Jetty)", "com.asconboard.web.WebServer"),
            new Marker("job scheduler and outbox started", "com.github.kagkarlsson.scheduler.Scheduler"));
    static final List<Marker> BARE = List.of(
            new Marker("Bolt app started (auth.test)", "com.asconboard.bench.BareBoltApp"),
            new Marker("web server (Jetty)", "org.eclipse.jetty.server.Server"));

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\]\\S* (\\S+) ");

    private StartupPhases() {
    }

    /** JVM options that write the class-loading log to {@code log}. */
    static List<String> jvmOptions(Path log) {
        return List.of("-Xlog:class+load=info:file=" + log + ":uptime");
    }

    /**
     * Each phase's start and length in ms (until the next phase begins; the last until {@code healthyMs}) and the
     * classes loaded in it; "JVM boot" runs until the first marker.
     */
    static Map<String, Object> read(Path log, List<Marker> markers, double healthyMs) throws IOException {
        Map<String, Double> firstLoad = new LinkedHashMap<>();
        List<Double> loads = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(1)) * 1000;
                loads.add(ms);
                firstLoad.putIfAbsent(m.group(2), ms);
            }
        }
        List<String> names = new ArrayList<>(List.of("JVM boot"));
        List<Double> starts = new ArrayList<>(List.of(0.0));
        for (Marker k : markers) {
            Double at = firstLoad.get(k.firstClass());
            if (at != null && at < healthyMs) {
                names.add(k.phase());
                starts.add(at);
            }
        }
        starts.add(healthyMs);
        Map<String, Object> phases = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            double from = starts.get(i);
            double until = starts.get(i + 1);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("from_ms", Math.round(from));
            p.put("ms", Math.round(until - from));
            p.put("classes_loaded", loads.stream().filter(t -> t >= from && t < until).count());
            phases.put(names.get(i), p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("healthy_ms", Math.round(healthyMs));
        m.put("classes_loaded", loads.stream().filter(t -> t < healthyMs).count());
        m.put("phases", phases);
        return m;
    }
}
