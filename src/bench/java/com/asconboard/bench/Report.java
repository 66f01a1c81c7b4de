package com.asconboard.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine, the JMH results, and the printed table and JSON of a benchmark run. */
final class Report {
    private Report() {
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memory", command("free", "-h"));
        m.put("java", command(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("loadavg_at_start", loadAverage());
        return m;
    }

    /** /proc/loadavg: the machine is shared, so say how busy it was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Adds the JMH results of this build, when {@code jmhJson} exists and is not older than the build. */
    static void jmh(Map<String, Object> results, Path jmhJson, Instant buildStart) throws IOException {
        if (!Files.isRegularFile(jmhJson)
                || buildStart != null && Files.getLastModifiedTime(jmhJson).toInstant().isBefore(buildStart)) {
            results.put("jmh", "not run in this build");
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(jmhJson)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            JsonObject metric = o.getAsJsonObject("primaryMetric");
            Map<String, Object> row = new LinkedHashMap<>();
            String name = o.get("benchmark").getAsString();
            row.put("benchmark", name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            row.put("mode", o.get("mode").getAsString());
            row.put("score", metric.get("score").getAsDouble());
            double error = metric.get("scoreError").getAsDouble();
            row.put("error", Double.isNaN(error) ? null : error);
            row.put("unit", metric.get("scoreUnit").getAsString());
            row.put("forks", o.get("forks").getAsInt());
            row.put("warmup", o.get("warmupIterations").getAsInt() + " × " + o.get("warmupTime").getAsString());
            row.put("measurement", o.get("measurementIterations").getAsInt() + " × "
                    + o.get("measurementTime").getAsString());
            rows.add(row);
        }
        results.put("jmh", rows);
    }

    static String json(Map<String, Object> results) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(results) + "\n";
    }

    // ---------------------------------------------------------------- the table

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        StringBuilder t = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        String javaLine = String.valueOf(machine.get("java")).lines().skip(1).findFirst().orElse("");
        t.append("asc-onboard benchmark · ").append(machine.get("date")).append('\n');
        t.append(machine.get("cpu")).append(", nproc ").append(machine.get("nproc")).append(", ")
                .append(memTotal(String.valueOf(machine.get("memory")))).append(" RAM, ").append(javaLine).append('\n');
        t.append("load average (1/5/15 min) at start: ").append(machine.get("loadavg_at_start"))
                .append(", at end: ").append(machine.get("loadavg_at_end")).append('\n');
        t.append("bot: target/asc-onboard.jar in child JVMs · baseline: bare Bolt app (same three listeners, ack "
                + "only) on the same Jetty 12 + bolt-jakarta-servlet, child JVM\n");
        t.append("PostgreSQL: ").append(r.get("postgresql")).append('\n');
        Map<String, Object> fakes = (Map<String, Object>) r.get("fakes");
        if (fakes != null) {
            t.append(String.format("fakes, ms per request p50: Slack %s, App Store Connect %s%n",
                    Stats.fmt(num(((Map<String, Object>) fakes.get("fake_slack_auth_test")).get("p50_ms"))),
                    Stats.fmt(num(((Map<String, Object>) fakes.get("fake_asc_get")).get("p50_ms")))));
        }
        t.append('\n');
        startup(t, (Map<String, Object>) r.get("startup"));
        acks(t, (Map<String, Object>) r.get("ack"));
        memory(t, r);
        uploads(t, (List<Map<String, Object>>) r.get("upload_to_verified"));
        watcher(t, r.get("watcher"));
        kill(t, r.get("kill"));
        jmh(t, r.get("jmh"));
        return t.toString();
    }

    @SuppressWarnings("unchecked")
    private static void startup(StringBuilder t, Map<String, Object> startup) {
        if (startup == null) {
            return;
        }
        t.append("START-UP — JVM spawn until GET /healthz answers 200; ms p50 / max over the runs, interleaved\n");
        Map<String, Object> runs = (Map<String, Object>) startup.get("runs_ms");
        double bare = num(((Map<String, Object>) startup.get("bare")).get("p50_ms"));
        for (String v : runs.keySet()) {
            Map<String, Object> s = (Map<String, Object>) startup.get(v);
            double ratio = num(s.get("p50_ms")) / bare;
            t.append(String.format("%-30s %-16s %s%s%n", v, Stats.fmt(num(s.get("p50_ms"))) + " / "
                    + Stats.fmt(num(s.get("max_ms"))), v.equals("bare") ? "" : String.format("%.2f× bare (target ≤ %s: "
                    + "%s)  ", ratio, startup.get("target_ratio"), ratio <= num(startup.get("target_ratio"))
                    ? "met" : "MISSED"), "runs " + runs.get(v)));
        }
        Map<String, Object> phases = (Map<String, Object>) startup.get("phases");
        if (phases != null) {
            t.append("where the time goes (one more start of each, -Xlog:class+load; a phase starts when its first "
                    + "class loads): ms, classes loaded\n");
            phases.forEach((variant, v) -> {
                Map<String, Object> p = (Map<String, Object>) v;
                t.append(String.format("  %s: healthy at %s ms, %s classes%n", variant, p.get("healthy_ms"),
                        p.get("classes_loaded")));
                ((Map<String, Object>) p.get("phases")).forEach((phase, x) -> {
                    Map<String, Object> f = (Map<String, Object>) x;
                    t.append(String.format("    %-44s %6s ms  %5s classes%n", phase, f.get("ms"),
                            f.get("classes_loaded")));
                });
            });
        }
        t.append('\n');
    }

    @SuppressWarnings("unchecked")
    private static void acks(StringBuilder t, Map<String, Object> ack) {
        if (ack == null) {
            return;
        }
        Map<String, Object> warmup = (Map<String, Object>) ack.get("warmup");
        t.append("ACK LATENCY — durable acks (what a request changes is committed before the ack); ms p50 / p99 / max "
                + "and acks per second, pooled over all " + ack.get("rounds") + " measured rounds (none discarded)\n");
        t.append("warm-up before round 1: " + warmup.get("requests_per_kind_per_app") + " requests per kind per app, "
                + "JIT ms spent in it " + warmup.get("jit_ms") + "\n");
        t.append("JIT ms per measured round: " + ack.get("jit_ms_per_round") + "; round wall ms "
                + ack.get("round_wall_ms") + "\n");
        t.append("open tickets before / after the rounds: " + ack.get("open_tickets_before") + " / "
                + ack.get("open_tickets_after") + "\n");
        String format = "%-10s %-40s %4s  %-20s %6s  %-20s %6s  %-13s %-14s %-12s %s%n";
        t.append(String.format(format, "bot on", "request", "conc", "ours", "ours/s", "bare Bolt", "bare/s",
                "p99 ≤ 1.5×", "rate ≥ 0.8×", "p99 early", "p99 ratio per round"));
        for (Map<String, Object> row : (List<Map<String, Object>>) ack.get("rows")) {
            Map<String, Object> o = (Map<String, Object>) row.get("ours");
            Map<String, Object> b = (Map<String, Object>) row.get("bare");
            List<Object> op = (List<Object>) row.get("ours_p99_per_round");
            List<Object> bp = (List<Object>) row.get("bare_p99_per_round");
            List<String> perRound = new ArrayList<>();
            for (int i = 0; i < op.size(); i++) {
                perRound.add(String.format("%.2f", num(op.get(i)) / num(bp.get(i))));
            }
            t.append(String.format(format, String.valueOf(row.get("app")).replace("ours-", ""), row.get("request"),
                    row.get("concurrency"), triple(o), o.get("per_second"), triple(b), b.get("per_second"),
                    String.format("%.2f %s", num(row.get("ratio_p99")), Boolean.TRUE.equals(row.get("p99_met"))
                            ? "met" : "MISSED"),
                    String.format("%.2f %s", num(row.get("ratio_throughput")),
                            Boolean.TRUE.equals(row.get("throughput_met")) ? "met" : "MISSED"),
                    String.format("%.2f/%.2f", num(row.get("early_ratio_p99")), num(row.get("later_ratio_p99"))),
                    "[" + String.join(" ", perRound) + "]"));
            int missing = ((Number) row.get("slack_work_missing")).intValue();
            if (missing > 0) {
                t.append(String.format("%-10s %d requests' Slack messages never arrived%n", "", missing));
            }
        }
        t.append("p99 early = ratio over rounds 1–" + ack.get("early_rounds") + " / over the later rounds\n\n");
    }

    @SuppressWarnings("unchecked")
    private static void memory(StringBuilder t, Map<String, Object> r) {
        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        if (memory == null) {
            return;
        }
        t.append("MEMORY — after the ack rounds (default heap settings)\n");
        memory.forEach((app, v) -> {
            Map<String, Object> a = (Map<String, Object>) v;
            t.append(String.format("%-16s RSS %6.1f MiB (peak %6.1f) · live heap after full GC %5.1f MiB · RSS after "
                    + "GC %6.1f MiB%n", app, num(a.get("rss_mib")), num(a.get("peak_rss_mib")),
                    num(a.get("live_heap_mib")), num(a.get("rss_after_full_gc_mib"))));
        });
        if (r.get("list_latency") instanceof List<?> rows) {
            for (Object o : rows) {
                Map<String, Object> l = (Map<String, Object>) o;
                t.append(String.format("/asc-onboard list on %-10s %-22s %6s/s  (%s open tickets)%n",
                        l.get("database"), triple((Map<String, Object>) l.get("ours")),
                        ((Map<String, Object>) l.get("ours")).get("per_second"), l.get("open_tickets")));
            }
        }
        t.append('\n');
    }

    @SuppressWarnings("unchecked")
    private static void uploads(StringBuilder t, List<Map<String, Object>> uploads) {
        if (uploads == null) {
            return;
        }
        t.append("UPLOAD → \"✅ verified\" — .p8 POST until Fake Slack receives the chat.update; ms p50 / p99 / max\n");
        String format = "%-11s %-9s %7s  %-20s %-10s %-20s %-14s %s%n";
        t.append(String.format(format, "bot on", "ASC at", "samples", "total", "ASC trips", "overhead",
                "target < 100", "upload page answered"));
        for (Map<String, Object> row : uploads) {
            Map<String, Object> over = (Map<String, Object>) row.get("overhead");
            double p99 = num(over.get("p99_ms"));
            t.append(String.format(format, row.get("database"), row.get("asc_latency_ms") + " ms", row.get("samples"),
                    triple((Map<String, Object>) row.get("total")), row.get("asc_round_trips"), triple(over),
                    p99 < num(row.get("target_overhead_ms")) ? "met (p99)" : "MISSED (p99)",
                    triple((Map<String, Object>) row.get("upload_http_response"))));
        }
        t.append("overhead = total − ASC round trips × latency (the checks call App Store Connect one after another)"
                + "\n\n");
    }

    @SuppressWarnings("unchecked")
    private static void watcher(StringBuilder t, Object watcher) {
        if (watcher == null) {
            return;
        }
        if (!(watcher instanceof Map<?, ?> x)) {
            t.append("WATCHER — ").append(watcher).append("\n\n");
            return;
        }
        Map<String, Object> w = (Map<String, Object>) x;
        t.append(String.format("WATCHER — every one of %s active accounts checked once, App Store Connect at %s ms, "
                        + "%s instances × %s checks at a time on one PostgreSQL%n", w.get("accounts"),
                w.get("asc_latency_ms"), w.get("instances"), w.get("checks_per_instance")));
        t.append(String.format("wall %s s · ideal (%s accounts × %s round trips × %s ms ÷ (%s × %s)) %s s · ratio %s "
                        + "(target ≤ %s: %s)%n", w.get("wall_seconds"), w.get("accounts"),
                w.get("asc_round_trips_per_check"), w.get("asc_latency_ms"), w.get("instances"),
                w.get("checks_per_instance"), w.get("ideal_seconds"), w.get("ratio"), w.get("target_ratio"),
                Boolean.TRUE.equals(w.get("met")) ? "met" : "MISSED"));
        t.append(String.format("each account checked exactly once: %s (keys asked %s; keys by number of requests %s; "
                        + "accounts with a new check %s)%n", Boolean.TRUE.equals(w.get("each_checked_exactly_once"))
                        ? "yes" : "NO", w.get("keys_asked"), w.get("keys_by_request_count"),
                w.get("accounts_with_a_new_check")));
        t.append(String.format("setup: seeded in %s s (%s); a first round at 0 ms, unmeasured, %s s, then its status "
                        + "messages delivered in %s s%n%n", w.get("seed_seconds"), w.get("seeded_how"),
                w.get("unmeasured_round_at_0_ms_seconds"), w.get("status_messages_delivered_seconds")));
    }

    @SuppressWarnings("unchecked")
    private static void kill(StringBuilder t, Object kill) {
        if (kill == null) {
            return;
        }
        if (!(kill instanceof List<?> rows)) {
            t.append("KILL — ").append(kill).append("\n\n");
            return;
        }
        t.append("KILL -9 MID-VERIFICATION — from the kill until the survivor (running all along, same PostgreSQL) "
                + "posts the report; ms p50 / max\n");
        for (Object o : rows) {
            Map<String, Object> k = (Map<String, Object>) o;
            Map<String, Object> s = (Map<String, Object>) k.get("kill_to_report");
            t.append(String.format("%-58s %-18s runs %s · ms since the killed one's last heartbeat %s · reports per "
                            + "ticket %s%n", k.get("timing"), Stats.fmt(num(s.get("p50_ms"))) + " / "
                            + Stats.fmt(num(s.get("max_ms"))), k.get("runs_ms"),
                    k.get("ms_since_last_heartbeat_at_kill"),
                    k.get("reports_posted_per_ticket")));
        }
        t.append('\n');
    }

    private static void jmh(StringBuilder t, Object jmh) {
        t.append("JMH — 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement, average time per operation\n");
        if (jmh instanceof List<?> rows) {
            for (Object o : rows) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) o;
                Object error = row.get("error");
                t.append(String.format("%-28s %12.3f %s %s%n", row.get("benchmark"), num(row.get("score")),
                        error == null ? "" : String.format("± %.3f", num(error)), row.get("unit")));
            }
        } else {
            t.append(jmh).append('\n');
        }
    }

    private static String triple(Map<String, Object> s) {
        return Stats.fmt(num(s.get("p50_ms"))) + " / " + Stats.fmt(num(s.get("p99_ms"))) + " / "
                + Stats.fmt(num(s.get("max_ms")));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String memTotal(String free) {
        return free.lines().filter(l -> l.startsWith("Mem:")).map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
    }
}
