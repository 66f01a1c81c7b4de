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
        t.append("bot: target/asc-onboard.jar in a child JVM · baseline: bare Bolt app (same three listeners, ack "
                + "only) on the same Jetty 12 + bolt-jakarta-servlet, child JVM\n");
        Map<String, Object> fakes = (Map<String, Object>) r.get("fakes");
        if (fakes != null) {
            t.append(String.format("fakes, ms per request p50: Slack %s, App Store Connect %s%n",
                    Stats.fmt(num(((Map<String, Object>) fakes.get("fake_slack_auth_test")).get("p50_ms"))),
                    Stats.fmt(num(((Map<String, Object>) fakes.get("fake_asc_get")).get("p50_ms")))));
        }
        t.append('\n');

        for (String key : List.of("ack_latency", "ack_latency_at_10k_tickets")) {
            List<Map<String, Object>> rows = (List<Map<String, Object>>) r.get(key);
            if (rows == null) {
                continue;
            }
            t.append(key.equals("ack_latency") ? "ACK LATENCY" : "ACK LATENCY WITH ≥ 10,000 TICKETS")
                    .append(" — ms p50 / p99 / max, acks per second, CPU ms of the server process per request "
                            + "(the bot's includes its work after the ack); the two apps alternate in chunks (ABBA)\n");
            t.append("\"1 paced\": one request at a time, " + SystemBench.PAUSE_MS + " ms pause after each ack, so "
                    + "that the bot's background work for one request is over before the next arrives\n");
            Object settling = r.get(key.equals("ack_latency") ? "settling" : "settling_at_10k_tickets");
            if (settling instanceof Map<?, ?> st) {
                t.append(settlingLine((Map<String, Object>) st));
            }
            t.append(String.format("%-40s %-8s %-22s %7s %6s  %-22s %7s %6s  %-14s %-13s %s%n", "request", "conc",
                    "ours", "ours/s", "cpu", "bare Bolt", "bare/s", "cpu", "p99 ours/bare", "target ≤ 1.2",
                    "per-round p99 ratios"));
            for (Map<String, Object> row : rows) {
                Map<String, Object> o = (Map<String, Object>) row.get("ours");
                Map<String, Object> b = (Map<String, Object>) row.get("bare");
                double ratio = ((Number) row.get("ratio_p99")).doubleValue();
                boolean paced = num(row.get("pause_after_each_ack_ms")) > 0;
                t.append(String.format("%-40s %-8s %-22s %7s %6s  %-22s %7s %6s  %-14s %-13s %s%n", row.get("request"),
                        row.get("concurrency"), triple(o), paced ? "—" : o.get("per_second"), cpu(o), triple(b),
                        paced ? "—" : b.get("per_second"), cpu(b),
                        String.format("%.2f", ratio), ratio <= 1.2 ? "met" : "MISSED", row.get("ratio_p99_per_round")));
                int missing = ((Number) row.get("background_work_missing")).intValue();
                if (missing > 0) {
                    t.append(String.format("%-40s          %d requests' background work never reached Slack%n", "",
                            missing));
                }
            }
            t.append('\n');
        }
        Object burst = r.get("submission_burst");
        if (burst instanceof Map<?, ?> b) {
            t.append(String.format("burst of %s form submissions at concurrency %s, not drained in parts (warm-up): "
                            + "%s acked 200 (%s/s), %s tickets never created (background queue full)%n",
                    b.get("form_submissions"), b.get("concurrency"), b.get("acked_200"), b.get("acks_per_second"),
                    b.get("tickets_never_created")));
        }
        Object lists = r.get("list_latency");
        if (lists instanceof List<?> rows) {
            for (Object o : rows) {
                Map<String, Object> l = (Map<String, Object>) o;
                Map<String, Object> s = (Map<String, Object>) l.get("ours");
                t.append(String.format("%-40s %-8s %-22s %7s  (bot only, %s open tickets)%n", l.get("request"),
                        l.get("concurrency"), triple(s), s.get("per_second"), l.get("open_tickets")));
            }
        }
        t.append('\n');

        List<Map<String, Object>> uploads = (List<Map<String, Object>>) r.get("upload_to_verified");
        if (uploads != null) {
            t.append("UPLOAD → \"✅ verified\" — .p8 POST until Fake Slack receives the chat.update; "
                    + "ms p50 / p99 / max\n");
            t.append(String.format("%-16s %7s  %-22s %-12s %-22s %-14s %s%n", "FakeAsc latency", "samples", "total",
                    "ASC trips", "overhead", "target < 100", "upload page answered"));
            for (Map<String, Object> row : uploads) {
                Map<String, Object> over = (Map<String, Object>) row.get("overhead");
                double p99 = ((Number) over.get("p99_ms")).doubleValue();
                t.append(String.format("%-16s %7s  %-22s %-12s %-22s %-14s %s%n", row.get("asc_latency_ms") + " ms",
                        row.get("samples"), triple((Map<String, Object>) row.get("total")),
                        row.get("asc_round_trips"), triple(over), p99 < 100 ? "met" : "MISSED",
                        triple((Map<String, Object>) row.get("upload_http_response"))));
            }
            t.append("overhead = total − ASC round trips × latency (the checks call App Store Connect one after "
                    + "another)\n\n");
        }

        Map<String, Object> startup = (Map<String, Object>) r.get("startup");
        if (startup != null) {
            t.append("START-UP — JVM spawn until GET /healthz answers 200; ms p50 / max over the runs\n");
            Map<String, Object> runs = (Map<String, Object>) startup.get("runs_ms");
            for (String v : List.of("ours_fresh_db", "ours_existing_db", "bare")) {
                Map<String, Object> s = (Map<String, Object>) startup.get(v);
                t.append(String.format("%-28s %-18s runs %s%n", switch (v) {
                    case "ours_fresh_db" -> "bot, new database";
                    case "ours_existing_db" -> "bot, existing database";
                    default -> "bare Bolt app";
                }, Stats.fmt(num(s.get("p50_ms"))) + " / " + Stats.fmt(num(s.get("max_ms"))), runs.get(v)));
            }
            double ratio = num(((Map<String, Object>) startup.get("ours_existing_db")).get("p50_ms"))
                    / num(((Map<String, Object>) startup.get("bare")).get("p50_ms"));
            t.append(String.format("bot (existing database) / bare, p50: %.2f%n%n", ratio));
        }

        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        if (memory != null) {
            t.append("MEMORY — VmRSS of the child JVM (default heap settings)\n");
            for (Map.Entry<String, Object> e : memory.entrySet()) {
                Map<String, Object> m = (Map<String, Object>) e.getValue();
                String label = (e.getKey().equals("after_warmup") ? "after warm-up, " : "") + m.get("tickets")
                        + " tickets";
                for (String app : List.of("ours", "bare")) {
                    Map<String, Object> a = (Map<String, Object>) m.get(app);
                    t.append(String.format("%-26s %-5s RSS %6.1f MiB (peak %6.1f) · live heap after full GC %5.1f MiB"
                                    + " · RSS after GC %6.1f MiB%n", label, app.equals("ours") ? "bot" : "bare",
                            num(a.get("rss_mib")), num(a.get("peak_rss_mib")), num(a.get("live_heap_mib")),
                            num(a.get("rss_after_full_gc_mib"))));
                }
            }
            Object fill = r.get("ticket_fill");
            if (fill instanceof Map<?, ?> f) {
                t.append(String.format("tickets created through the form: %s (%s → %s open) in %s s (%s tickets/s end "
                                + "to end, background work missing: %s); the bot's database file: %s MiB%n",
                        f.get("submitted"), f.get("tickets_before"), f.get("tickets_after"), f.get("seconds"),
                        f.get("tickets_per_second_end_to_end"), f.get("background_work_missing"),
                        f.get("database_file_mib")));
            }
            t.append('\n');
        }

        if (r.get("watcher") instanceof Map<?, ?> w) {
            t.append(String.format("WATCHER — one round over %s accounts, App Store Connect at %s ms, concurrency %s%n"
                    + "wall %s s · ideal (round trips %s × latency ÷ concurrency) %s s · ratio %s (target ≤ %s: %s) · "
                    + "setup %s s%n%n", w.get("accounts"), w.get("asc_latency_ms"), w.get("concurrency"),
                    w.get("wall_seconds"), w.get("asc_round_trips"), w.get("ideal_seconds"), w.get("ratio"),
                    w.get("target_ratio"), Boolean.TRUE.equals(w.get("met")) ? "met" : "MISSED", w.get("setup_seconds")));
        } else {
            t.append("WATCHER — ").append(r.get("watcher")).append("\n\n");
        }

        Object jmh = r.get("jmh");
        t.append("JMH — 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement, average time per operation\n");
        if (jmh instanceof List<?> rows) {
            for (Object o : rows) {
                Map<String, Object> row = (Map<String, Object>) o;
                Object error = row.get("error");
                t.append(String.format("%-28s %12.3f %s %s%n", row.get("benchmark"), num(row.get("score")),
                        error == null ? "" : String.format("± %.3f", num(error)), row.get("unit")));
            }
        } else {
            t.append(jmh).append('\n');
        }
        return t.toString();
    }

    private static String cpu(Map<String, Object> s) {
        Object v = s.get("cpu_ms_per_request");
        return v instanceof Number n ? String.format("%.2f", n.doubleValue()) : "—";
    }

    private static String triple(Map<String, Object> s) {
        return Stats.fmt(num(s.get("p50_ms"))) + " / " + Stats.fmt(num(s.get("p99_ms"))) + " / "
                + Stats.fmt(num(s.get("max_ms")));
    }

    /** How the acks were settled before a table: rounds, whether the JIT went quiet, tickets in the bot. */
    @SuppressWarnings("unchecked")
    private static String settlingLine(Map<String, Object> st) {
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) st.get("rounds");
        String tickets = "; the bot held " + st.get("open_tickets_after") + " open tickets\n";
        if (rounds.isEmpty()) {
            return "no settling rounds (-Dbench.settle.max=0)" + tickets;
        }
        if (!Boolean.TRUE.equals(st.get("jit_counters_read"))) {
            return "after " + rounds.size() + " unmeasured settling round(s); the JIT counters could not be read"
                    + tickets;
        }
        Map<String, Object> last = rounds.get(rounds.size() - 1);
        return String.format("after %d unmeasured settling round(s), until neither JVM compiled for more than %.0f %% "
                        + "of a round (%s): JIT in the last round ours %s ms, bare %s ms of %s ms", rounds.size(),
                num(st.get("jit_settled_below_share_of_round")) * 100,
                Boolean.TRUE.equals(st.get("settled")) ? "settled" : "NOT settled", last.get("jit_ms_ours"),
                last.get("jit_ms_bare"), last.get("wall_ms")) + tickets;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String memTotal(String free) {
        return free.lines().filter(l -> l.startsWith("Mem:")).map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
    }
}
