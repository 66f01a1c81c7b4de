package com.asconboard.bench;

import com.asconboard.bench.SlackLoad.Kind;
import com.asconboard.bench.SlackLoad.Run;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The system benchmark: starts {@code target/asc-onboard.jar} and {@link BareBoltApp} as child JVMs
 * against {@link FakeSlack} and {@link FakeAsc} (both in this process, on 127.0.0.1) and measures ack
 * latency, upload → verified, start-up and memory. Prints a table and writes {@code results.json}.
 *
 * <p>Arguments: the bot's jar, the test-classes directory (holds {@link BareBoltApp}), the output
 * directory, and optionally the build's start time (JMH results older than that are left out).
 * Run through {@code mvn -B -Pbench verify}. Sizes can be changed with system properties
 * ({@code bench.rounds}, {@code bench.n1}, {@code bench.n16}, {@code bench.npaced}, {@code bench.warmup},
 * {@code bench.settle.max},
 * {@code bench.uploads}, {@code bench.starts}, {@code bench.tickets}); the defaults are what RESULTS.md reports.
 */
public final class SystemBench {
    /** A round's p99 rests on a handful of samples; more rounds make the pooled p99 steadier. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 8);
    static final int POST_FILL_ROUNDS = Math.max(1, ROUNDS / 2);
    /**
     * Which parts run (all by default): startup, ack, upload, fill (at least 10,000 tickets, then memory and the
     * acks again), watcher. E.g. {@code -Dbench.parts=ack} when running the class directly.
     */
    static final Set<String> PARTS = Set.of(System.getProperty("bench.parts", "startup,ack,upload,fill,watcher")
            .split("\\s*,\\s*"));
    static final int N1 = Integer.getInteger("bench.n1", 300);
    static final int N16 = Integer.getInteger("bench.n16", 1200);
    static final int WARMUP = Integer.getInteger("bench.warmup", 1500);
    /** A round after the warm-up in which neither JVM compiled for more than this share of it ends the settling. */
    static final double JIT_SETTLED = 0.01;
    static final int MAX_SETTLE_ROUNDS = Integer.getInteger("bench.settle.max", 10);
    static final int SETTLE_FALLBACK_ROUNDS = 3;
    static final int UPLOADS = Integer.getInteger("bench.uploads", 100);
    static final int UPLOAD_WARMUP = 3;
    static final int STARTS = Integer.getInteger("bench.starts", 5);
    static final int TICKETS = Integer.getInteger("bench.tickets", 10_000);
    static final int FILL_BATCH = 500;
    /** Created even when the rounds before already made more than {@link #TICKETS}: the end-to-end rate. */
    static final int MIN_FILL = 2_000;
    static final int N_PACED = Integer.getInteger("bench.npaced", 150);
    static final int PAUSE_MS = 15;
    static final int[] CONCURRENCY = {1, 16};

    /** How requests are sent: closed loop at 1 or 16, or one at a time with a pause after each ack. */
    record Mode(String id, int concurrency, int pauseMs, int perRound, int chunk) {
        String label() {
            return pauseMs == 0 ? Integer.toString(concurrency) : concurrency + " paced";
        }
    }

    static final List<Mode> MODES = List.of(
            new Mode("1", 1, 0, N1, 50),
            new Mode("16", 16, 0, N16, 200),
            // The bot's work after one ack (a ticket: inserts, two Slack calls) is over before the next request
            // arrives, as when people click: the acks no longer compete with earlier requests' work for the 2 cores.
            new Mode("1p", 1, PAUSE_MS, N_PACED, 50));
    static final Kind[] ACK_KINDS = {Kind.HELP, Kind.SUBMIT, Kind.CLICK};
    static final long[] ASC_LATENCY_MS = {0, 50};
    static final double ACK_RATIO_TARGET = 1.2;
    static final double OVERHEAD_TARGET_MS = 100;
    static final String VENDOR = "builds@vendor.example";
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** Kept so the JDK logging configuration cannot drop the level set on it. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("okhttp3.mockwebserver.MockWebServer");

    private final Path jar;
    private final Path testClasses;
    private final Path out;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final FakeSlack slack;
    private final FakeAsc asc;
    private final String slackUrl;
    private final String ascUrl;
    private final SlackLoad load = new SlackLoad();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Child> children = new ArrayList<>();
    private int accounts;

    private SystemBench(Path jar, Path testClasses, Path out, FakeSlack slack, FakeAsc asc, String slackUrl,
            String ascUrl) {
        this.jar = jar;
        this.testClasses = testClasses;
        this.out = out;
        this.slack = slack;
        this.asc = asc;
        this.slackUrl = slackUrl;
        this.ascUrl = ascUrl;
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            benchmark(args);
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            // The fakes' MockWebServers run on non-daemon threads; nothing may keep the build waiting.
            System.exit(status);
        }
    }

    private static void benchmark(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SystemBench <asc-onboard.jar> <test-classes dir> <output dir> [build start]");
            System.exit(2);
        }
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[2]).toAbsolutePath();
        Instant buildStart = args.length > 3 ? parseInstant(args[3]) : null;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run through mvn -Pbench verify (package comes first)");
        }
        deleteTree(out.resolve("run"));
        Files.createDirectories(out.resolve("run"));
        Map<String, Object> results;
        try (FakeSlack slack = new FakeSlack(); FakeAsc asc = new FakeAsc()) {
            SystemBench bench = new SystemBench(jar, Path.of(args[1]).toAbsolutePath(), out, slack, asc,
                    slack.apiUrl(), asc.url());
            bench.results.put("machine", Report.machine());
            bench.results.put("fakes", bench.calibrate());
            Runtime.getRuntime().addShutdownHook(new Thread(bench::stopChildren, "stop-children"));
            try {
                bench.run();
            } finally {
                bench.stopChildren();
                bench.load.close();
            }
            results = bench.results;
        }
        Report.jmh(results, out.resolve("jmh.json"), buildStart);
        Files.writeString(out.resolve("results.json"), Report.json(results));
        String table = Report.table(results);
        Files.writeString(out.resolve("results.txt"), table);
        System.out.println();
        System.out.println(table);
        System.out.println("written: " + out.resolve("results.json") + " and " + out.resolve("results.txt"));
        deleteTree(out.resolve("run"));
    }

    @SuppressWarnings("unchecked")
    private void run() throws Exception {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("bot", "target/asc-onboard.jar as a child JVM (java -jar, no JVM flags), env pointing at the "
                + "fakes in the bench JVM");
        setup.put("bare", "BareBoltApp (src/bench) as a child JVM: java -cp asc-onboard.jar:test-classes, "
                + "no JVM flags");
        setup.put("client", "OkHttp 4.12, HTTP/1.1 keep-alive, requests built and signed before the clock starts");
        setup.put("bench_jvm", "fakes and load client in one JVM, -Xmx2g, sharing the 2 cores with the children");
        setup.put("rounds", ROUNDS);
        setup.put("requests_per_round_per_app", Map.of("1", N1, "16", N16, "1 paced", N_PACED));
        setup.put("paced_pause_ms", PAUSE_MS);
        setup.put("warmup_requests_per_kind", WARMUP);
        results.put("setup", setup);

        if (PARTS.contains("startup")) {
            startup();
        }

        log("starting the bot and the bare Bolt app for the latency runs");
        Child ours = startOurs("ours-main", out.resolve("run/main"));
        Child bare = startBare("bare-main");
        ours.awaitHealthy(Duration.ofSeconds(60));
        bare.awaitHealthy(Duration.ofSeconds(60));

        SlackRequests requests = new SlackRequests(ours.port);
        TicketDriver driver = new TicketDriver(slack, requests);
        TicketDriver.Opened clickTicket = driver.open("Click Target Ltd", null, "A1B2C3D4E5",
                SlackLoad.ISSUER, "ABC1234567");
        load.clickOn(clickTicket.number(), clickTicket.ts());
        slack.reset();

        warmUp(ours, bare);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("after_warmup", Map.of("ours", memory(ours), "bare", memory(bare), "tickets", openTickets(ours)));
        results.put("memory", memory);
        listLatency(ours);

        if (PARTS.contains("ack")) {
            log("settling: unmeasured rounds until neither JVM spends more than " + Math.round(JIT_SETTLED * 100)
                    + " % of a round compiling");
            settle(ours, bare, "settling");
            ackLatency(ours, bare, ROUNDS, "ack_latency");
        }
        if (PARTS.contains("upload")) {
            uploadToVerified(ours, driver);
        }
        if (PARTS.contains("fill")) {
            fillTickets(ours, bare, memory);
            listLatency(ours);
            settle(ours, bare, "settling_at_10k_tickets");
            ackLatency(ours, bare, POST_FILL_ROUNDS, "ack_latency_at_10k_tickets");
        }
        if (PARTS.contains("watcher")) {
            log("watcher: 1000 onboarded accounts, App Store Connect at 50 ms");
            results.put("watcher", new WatcherBench(slack, asc, out.resolve("run/watcher")).run(1000, 50));
        }
        ((Map<String, Object>) results.get("machine")).put("loadavg_at_end", Report.loadAverage());
    }

    // ---------------------------------------------------------------- the fakes

    /** Time per request to each fake, to show that the fakes themselves cost next to nothing. */
    private Map<String, Object> calibrate() {
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false)
                .callTimeout(Duration.ofSeconds(10)).build();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fake_slack_auth_test", timeRequests(http, () -> slackRequest(slackUrl)).json());
        m.put("fake_asc_get", timeRequests(http, () -> new okhttp3.Request.Builder()
                .url(ascUrl + "/v1/apps").build()).json());
        http.connectionPool().evictAll();
        slack.reset();
        asc.reset();
        return m;
    }

    private static okhttp3.Request slackRequest(String apiUrl) {
        return new okhttp3.Request.Builder().url(apiUrl + "auth.test")
                .post(new okhttp3.FormBody.Builder().add("token", FakeSlack.BOT_TOKEN).build()).build();
    }

    private static Stats timeRequests(okhttp3.OkHttpClient http, java.util.function.Supplier<okhttp3.Request> request) {
        int n = 40;
        long[] nanos = new long[n];
        for (int i = -10; i < n; i++) {
            long start = System.nanoTime();
            try (okhttp3.Response response = http.newCall(request.get()).execute()) {
                response.body().string();
            } catch (IOException e) {
                throw new IllegalStateException("fake did not answer", e);
            }
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        return Stats.of(nanos);
    }

    // ---------------------------------------------------------------- start-up

    private void startup() throws IOException {
        log("start-up: " + STARTS + " runs each of the bot (fresh database), the bot (existing database) and the "
                + "bare Bolt app, interleaved");
        // Unmeasured: creates the existing database and brings the jar into the page cache for all three.
        Path existing = out.resolve("run/startup-existing");
        try (Child first = startOurs("ours-startup-prime", existing)) {
            first.awaitHealthy(Duration.ofSeconds(60));
        }
        String[] variants = {"ours_fresh_db", "ours_existing_db", "bare"};
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (String v : variants) {
            times.put(v, new ArrayList<>());
        }
        for (int i = 0; i < STARTS; i++) {
            for (int j = 0; j < variants.length; j++) {
                String variant = variants[(i + j) % variants.length];
                Child child = switch (variant) {
                    case "ours_fresh_db" -> startOurs("ours-startup-fresh-" + i, out.resolve("run/startup-fresh-" + i));
                    case "ours_existing_db" -> startOurs("ours-startup-existing-" + i, existing);
                    default -> startBare("bare-startup-" + i);
                };
                try (child) {
                    times.get(variant).add(child.awaitHealthy(Duration.ofSeconds(60)));
                }
            }
        }
        Map<String, Object> startup = new LinkedHashMap<>();
        times.forEach((variant, list) -> startup.put(variant,
                Stats.of(list.stream().mapToLong(Long::longValue).toArray()).json()));
        startup.put("runs_ms", Map.of(
                "ours_fresh_db", millis(times.get("ours_fresh_db")),
                "ours_existing_db", millis(times.get("ours_existing_db")),
                "bare", millis(times.get("bare"))));
        results.put("startup", startup);
    }

    // ---------------------------------------------------------------- ack latency

    private void warmUp(Child ours, Child bare) {
        log("warm-up: " + WARMUP + " requests of each kind at concurrency 16 and 200 at 1, on both");
        for (Kind kind : ACK_KINDS) {
            for (Child app : List.of(ours, bare)) {
                for (int c : CONCURRENCY) {
                    Run run = load.run(app.port, kind, c == 1 ? 200 : WARMUP, c, 0, RUN_LIMIT);
                    if (run.errors() > 0) {
                        throw new IllegalStateException(app.name + " " + kind + ": " + run.errors() + " failed, first: "
                                + run.firstError());
                    }
                    if (app == ours) {
                        int missing = drain(kind, run.attempted());
                        if (kind == Kind.SUBMIT && c == 16) {
                            // The one burst that is not drained in parts: what the bounded background queue does.
                            Map<String, Object> burst = new LinkedHashMap<>();
                            burst.put("form_submissions", run.attempted());
                            burst.put("concurrency", c);
                            burst.put("acked_200", run.nanos().length);
                            burst.put("acks_per_second", Math.round(run.perSecond()));
                            burst.put("tickets_never_created", missing);
                            results.put("submission_burst", burst);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rounds of every kind × concurrency. Within a run the two apps take turns in chunks, in ABBA order
     * (which app starts alternates by round, kind and concurrency), so that a noisy neighbour hits both
     * alike. After each of the bot's chunks its background work (tickets, replies) is waited for, so it
     * does not spill into the bare app's turn; it still competes with the bot's own acks during the chunk.
     */
    private void ackLatency(Child ours, Child bare, int rounds, String key) {
        log(key + ": " + rounds + " round(s) of " + MODES + " to each app, alternating in chunks");
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        Map<String, Integer> shortfall = new LinkedHashMap<>();
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            round(ours, bare, r, runs, shortfall, cpu);
            log("  round " + (r + 1) + " done");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Kind kind : ACK_KINDS) {
            for (Mode mode : MODES) {
                List<Run> o = runs.get(kind.name() + "/" + mode.id() + "/ours");
                List<Run> b = runs.get(kind.name() + "/" + mode.id() + "/bare");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("request", kind.label);
                row.put("what", kind.note);
                row.put("concurrency", mode.label());
                row.put("pause_after_each_ack_ms", mode.pauseMs());
                Stats os = pooled(o);
                Stats bs = pooled(b);
                // Not for paced runs: there the process's idle housekeeping during the pauses would dominate.
                boolean timed = mode.pauseMs() == 0;
                String cpuKey = kind.name() + "/" + mode.id() + "/";
                row.put("ours", withCpu(withRate(os, o), timed ? cpu.get(cpuKey + "ours") : null, o));
                row.put("bare", withCpu(withRate(bs, b), timed ? cpu.get(cpuKey + "bare") : null, b));
                row.put("ratio_p50", Stats.round(os.p50() / bs.p50()));
                row.put("ratio_p99", Stats.round(os.p99() / bs.p99()));
                row.put("ratio_p99_per_round", perRoundRatios(o, b));
                row.put("target_ratio_p99", ACK_RATIO_TARGET);
                row.put("errors", Map.of("ours", o.stream().mapToInt(Run::errors).sum(),
                        "bare", b.stream().mapToInt(Run::errors).sum()));
                row.put("background_work_missing", shortfall.getOrDefault(kind.name() + "/" + mode.id(), 0));
                rows.add(row);
            }
        }
        results.put(key, rows);
    }

    /** One round: every kind × mode, the two apps taking turns in chunks; adds to the three maps. */
    private void round(Child ours, Child bare, int r, Map<String, List<Run>> runs, Map<String, Integer> shortfall,
            Map<String, Long> cpu) {
        for (Kind kind : ACK_KINDS) {
            for (Mode mode : MODES) {
                boolean oursFirst = (r + kind.ordinal() + mode.concurrency()) % 2 == 0;
                List<Run> oursRuns = new ArrayList<>();
                List<Run> bareRuns = new ArrayList<>();
                for (int k = 0, done = 0; done < mode.perRound(); k++, done += mode.chunk()) {
                    int size = Math.min(mode.chunk(), mode.perRound() - done);
                    boolean oursNow = oursFirst ^ (k % 2 == 1);
                    for (int turn = 0; turn < 2; turn++, oursNow = !oursNow) {
                        Child app = oursNow ? ours : bare;
                        long cpuBefore = app.cpuMillis();
                        Run run = load.run(app.port, kind, size, mode.concurrency(), mode.pauseMs(), RUN_LIMIT);
                        (oursNow ? oursRuns : bareRuns).add(run);
                        if (oursNow) {
                            shortfall.merge(kind.name() + "/" + mode.id(), drain(kind, run.attempted()),
                                    Integer::sum);
                        }
                        // Includes the bot's background work for the chunk, which the drain waited for.
                        cpu.merge(kind.name() + "/" + mode.id() + "/" + (oursNow ? "ours" : "bare"),
                                app.cpuMillis() - cpuBefore, Long::sum);
                    }
                }
                runs.computeIfAbsent(kind.name() + "/" + mode.id() + "/ours", x -> new ArrayList<>())
                        .add(Run.merge(oursRuns));
                runs.computeIfAbsent(kind.name() + "/" + mode.id() + "/bare", x -> new ArrayList<>())
                        .add(Run.merge(bareRuns));
            }
        }
    }

    /**
     * Unmeasured rounds until both JVMs' JIT compilers have settled: a round in which neither spent more than
     * {@link #JIT_SETTLED} of the round's wall time compiling. The bot has far more code on its paths (the
     * database, Slack calls) and kept compiling for minutes after the fixed warm-up, on the same 2 cores
     * as the requests being measured. Without readable JIT counters, {@link #SETTLE_FALLBACK_ROUNDS} rounds.
     */
    private void settle(Child ours, Child bare, String key) {
        List<Map<String, Object>> rounds = new ArrayList<>();
        boolean settled = false;
        boolean countersRead = true;
        for (int r = 0; r < MAX_SETTLE_ROUNDS && !settled; r++) {
            long oursBefore = ours.jitMillis();
            long bareBefore = bare.jitMillis();
            long began = System.nanoTime();
            round(ours, bare, r, new HashMap<>(), new HashMap<>(), new HashMap<>());
            long wallMs = (System.nanoTime() - began) / 1_000_000;
            long oursJit = since(oursBefore, ours.jitMillis());
            long bareJit = since(bareBefore, bare.jitMillis());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall_ms", wallMs);
            m.put("jit_ms_ours", oursJit);
            m.put("jit_ms_bare", bareJit);
            rounds.add(m);
            log("  settling round " + (r + 1) + ": " + wallMs + " ms, JIT compiling ours " + oursJit + " ms, bare "
                    + bareJit + " ms");
            countersRead = oursJit >= 0 && bareJit >= 0;
            settled = countersRead
                    ? oursJit <= JIT_SETTLED * wallMs && bareJit <= JIT_SETTLED * wallMs
                    : r + 1 >= SETTLE_FALLBACK_ROUNDS;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jit_settled_below_share_of_round", JIT_SETTLED);
        m.put("jit_counters_read", countersRead);
        m.put("settled", settled && countersRead);
        m.put("rounds", rounds);
        m.put("open_tickets_after", openTickets(ours));
        results.put(key, m);
        if (rounds.isEmpty()) {
            log("  no settling rounds (bench.settle.max=0)");
        } else if (!countersRead) {
            log("  the JIT counters could not be read (no jcmd?); measuring after " + rounds.size() + " round(s)");
        } else if (!settled) {
            log("  the JIT had not settled after " + MAX_SETTLE_ROUNDS + " rounds; measuring anyway");
        }
    }

    /** JIT milliseconds between two readings, or -1 when either could not be read. */
    private static long since(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    /** {@code /asc-onboard list} (reads the database before the ack) on the bot alone, at concurrency 1. */
    private void listLatency(Child ours) {
        int tickets = openTickets(ours);
        Run list = load.run(ours.port, Kind.LIST, N1, 1, 0, RUN_LIMIT);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request", Kind.LIST.label);
        row.put("open_tickets", tickets);
        row.put("concurrency", 1);
        row.put("ours", withRate(Stats.of(list.nanos()), List.of(list)));
        row.put("errors", list.errors());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) results.computeIfAbsent("list_latency",
                k -> new ArrayList<Map<String, Object>>());
        rows.add(row);
    }

    private static List<Double> perRoundRatios(List<Run> ours, List<Run> bare) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(Stats.round(Stats.of(ours.get(i).nanos()).p99() / Stats.of(bare.get(i).nanos()).p99()));
        }
        return ratios;
    }

    private static Stats pooled(List<Run> runs) {
        return Stats.of(Stats.concat(runs.stream().map(Run::nanos).toList()));
    }

    private static Map<String, Object> withRate(Stats stats, List<Run> runs) {
        Map<String, Object> m = stats.json();
        long ok = runs.stream().mapToLong(r -> r.nanos().length).sum();
        long wall = runs.stream().mapToLong(Run::wallNanos).sum();
        m.put("per_second", Math.round(ok / (wall / 1e9)));
        return m;
    }

    /** CPU milliseconds of the child process per request sent (ack and, for the bot, the work after it). */
    private static Map<String, Object> withCpu(Map<String, Object> m, Long cpuMillis, List<Run> runs) {
        long requests = runs.stream().mapToLong(Run::attempted).sum();
        m.put("cpu_ms_per_request", cpuMillis == null || cpuMillis < 0 || requests == 0 ? null
                : Stats.round((double) cpuMillis / requests));
        return m;
    }

    /**
     * Waits until the bot has finished the background work of {@code n} requests of {@code kind}, as
     * seen by the fake Slack, then forgets the recorded calls. Returns how many never showed.
     */
    private int drain(Kind kind, int n) {
        if (kind != Kind.SUBMIT && kind != Kind.CLICK) {
            return 0;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int seen = 0;
        int last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            seen = kind == Kind.SUBMIT ? ticketsShown() : slack.calls("chat.postEphemeral").size();
            if (seen >= n) {
                break;
            }
            if (seen != last) {
                last = seen;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(10).toNanos()) {
                break;
            }
            Child.sleepMillis(50);
        }
        slack.reset();
        if (seen < n) {
            log("  " + (n - seen) + " of " + n + " " + kind + " requests left no trace in Slack (background work "
                    + "refused or failed; see the bot's log)");
        }
        return Math.max(0, n - seen);
    }

    /** Tickets whose status message and first thread reply have both been posted. */
    private int ticketsShown() {
        int status = 0;
        int thread = 0;
        for (FakeSlack.Call call : slack.calls("chat.postMessage")) {
            if (call.param("thread_ts") == null) {
                status++;
            } else if (call.param("text") != null && call.param("text").contains(" opened ASC-")) {
                thread++;
            }
        }
        return Math.min(status, thread);
    }

    // ---------------------------------------------------------------- upload → verified

    private void uploadToVerified(Child ours, TicketDriver driver) {
        int total = ASC_LATENCY_MS.length * (UPLOAD_WARMUP + UPLOADS);
        log("upload → ✅ verified: " + UPLOADS + " samples at each FakeAsc latency " + Arrays.toString(
                ASC_LATENCY_MS) + " ms, alternating, after " + UPLOAD_WARMUP + " unmeasured each");
        UploadClient browser = new UploadClient();
        Map<Long, List<long[]>> samples = new LinkedHashMap<>();
        for (long l : ASC_LATENCY_MS) {
            samples.put(l, new ArrayList<>());
        }
        for (int i = 0; i < total; i++) {
            long latency = ASC_LATENCY_MS[i % ASC_LATENCY_MS.length];
            boolean warm = i < ASC_LATENCY_MS.length * UPLOAD_WARMUP;
            Customer c = customer();
            TicketDriver.Opened ticket = driver.open(c.teamName, c.teamName, c.teamId, SlackLoad.ISSUER, c.keyId);
            String link = driver.uploadLink(ticket);
            byte[] p8 = TestKeys.p8Pem(c.pair).getBytes(StandardCharsets.UTF_8);
            slack.reset();
            asc.setLatency(Duration.ofMillis(latency));

            long start = System.nanoTime();
            UploadClient.Answer answer = browser.upload(link, "AuthKey_" + c.keyId + ".p8", p8);
            long answered = System.nanoTime() - start;
            if (answer.status() != 200) {
                throw new IllegalStateException("upload refused: " + answer.status() + " " + answer.body());
            }
            long done = awaitVerified(ticket) - start;
            asc.setLatency(Duration.ZERO);
            long roundTrips = asc.requests().stream().filter(r -> c.keyId.equals(r.keyId())).count();
            long overhead = done - roundTrips * latency * 1_000_000;
            if (!warm) {
                samples.get(latency).add(new long[] {done, overhead, roundTrips, answered});
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Long, List<long[]>> e : samples.entrySet()) {
            List<long[]> s = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("asc_latency_ms", e.getKey());
            row.put("samples", s.size());
            row.put("total", Stats.of(s.stream().mapToLong(v -> v[0]).toArray()).json());
            row.put("asc_round_trips", s.stream().mapToLong(v -> v[2]).distinct().sorted().boxed().toList());
            row.put("overhead", Stats.of(s.stream().mapToLong(v -> v[1]).toArray()).json());
            row.put("upload_http_response", Stats.of(s.stream().mapToLong(v -> v[3]).toArray()).json());
            row.put("target_overhead_ms", OVERHEAD_TARGET_MS);
            rows.add(row);
        }
        results.put("upload_to_verified", rows);
        slack.reset();
    }

    /** System.nanoTime() when the fake Slack holds the status update saying "✅ verified" (polled every 0.5 ms). */
    private long awaitVerified(TicketDriver.Opened ticket) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (FakeSlack.Call call : slack.calls("chat.update")) {
                if (ticket.ts().equals(call.param("ts")) && call.param("blocks") != null) {
                    if (call.param("blocks").contains("✅ verified")) {
                        return System.nanoTime();
                    }
                    if (call.param("blocks").contains("❌")) {
                        throw new IllegalStateException(ticket.key() + " was not verified: " + call.param("text"));
                    }
                }
            }
            LockSupport.parkNanos(500_000);
        }
        throw new IllegalStateException(ticket.key() + " not verified within 30 s; Slack saw:\n" + slack.describe());
    }

    private record Customer(String teamName, String teamId, String keyId, KeyPair pair) {
    }

    private Customer customer() {
        accounts++;
        String teamId = String.format("BENCH%05d", accounts);
        String keyId = String.format("BKEY%06d", accounts);
        String teamName = "Upload Bench " + accounts;
        FakeAsc.Account account = asc.addAccount(teamId, teamName);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, SlackLoad.ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addApp("Bench App " + accounts, "com.example.bench" + accounts);
        account.addCertificate("Apple Distribution: " + teamName, FakeAsc.CertificateType.DISTRIBUTION,
                Instant.now().plus(Duration.ofDays(300)));
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
        return new Customer(teamName, teamId, keyId, pair);
    }

    // ---------------------------------------------------------------- 10,000 tickets

    private void fillTickets(Child ours, Child bare, Map<String, Object> memory) {
        int have = openTickets(ours);
        int target = Math.max(TICKETS, have + MIN_FILL);
        log("tickets: " + have + " exist; creating " + (target - have) + " more through the form (view_submission, "
                + "concurrency 16, batches of " + FILL_BATCH + ")");
        long began = System.nanoTime();
        int submitted = 0;
        int missing = 0;
        long bound = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (have + submitted - missing < target && System.nanoTime() < bound) {
            int batch = Math.min(FILL_BATCH, target - (have + submitted - missing));
            Run run = load.run(ours.port, Kind.SUBMIT, batch, 16, 0, RUN_LIMIT);
            submitted += run.attempted();
            missing += drain(Kind.SUBMIT, run.attempted());
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        int now = openTickets(ours);
        Map<String, Object> fill = new LinkedHashMap<>();
        fill.put("tickets_before", have);
        fill.put("submitted", submitted);
        fill.put("tickets_after", now);
        fill.put("seconds", Stats.round(seconds));
        fill.put("tickets_per_second_end_to_end", submitted == 0 ? 0 : Math.round(submitted / seconds));
        fill.put("background_work_missing", missing);
        fill.put("database_file_mib", Stats.round(databaseFileBytes() / (1024.0 * 1024.0)));
        results.put("ticket_fill", fill);
        memory.put("at_10k_tickets", Map.of("ours", memory(ours), "bare", memory(bare), "tickets", now));

    }

    /** The size of the bot's H2 file ({@code run/main/db.mv.db}), or 0 if it cannot be read. */
    private long databaseFileBytes() {
        try {
            return Files.size(out.resolve("run/main/db.mv.db"));
        } catch (IOException e) {
            return 0;
        }
    }

    private static final Pattern OPEN_COUNT = Pattern.compile("\\((\\d+), newest first\\)");

    /** What {@code /asc-onboard list} says about the number of open tickets. */
    private int openTickets(Child ours) {
        String ack = load.once(ours.port, Kind.LIST);
        Matcher m = OPEN_COUNT.matcher(ack);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** RSS as the OS sees it, then the heap after a full GC (the live set; G1 keeps what it has grown to). */
    private static Map<String, Object> memory(Child child) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rss_mib", Stats.round(child.rssKib() / 1024.0));
        m.put("peak_rss_mib", Stats.round(child.peakRssKib() / 1024.0));
        m.put("heap", child.heapInfo());
        child.fullGc();
        String afterGc = child.heapInfo();
        m.put("heap_after_full_gc", afterGc);
        m.put("live_heap_mib", Stats.round(usedHeapKib(afterGc) / 1024.0));
        m.put("rss_after_full_gc_mib", Stats.round(child.rssKib() / 1024.0));
        return m;
    }

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private static long usedHeapKib(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---------------------------------------------------------------- children

    private Child startOurs(String name, Path dir) throws IOException {
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("SLACK_API_URL", slackUrl);
        env.put("ASC_API_URL", ascUrl);
        env.put("VENDOR_APPLE_ID", VENDOR);
        int port = Integer.parseInt(env.get("PORT"));
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(gcLog(name));
        command.addAll(List.of("-jar", jar.toString()));
        Child child = Child.start(name, port, command, env, dir, out.resolve("logs/" + name + ".log"));
        children.add(child);
        return child;
    }

    private Child startBare(String name) throws IOException {
        int port = TestBot.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SlackRequests.SIGNING_SECRET);
        env.put("SLACK_API_URL", slackUrl);
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(gcLog(name));
        command.addAll(List.of("-cp", jar + File.pathSeparator + testClasses, BareBoltApp.class.getName()));
        Child child = Child.start(name, port, command, env, out.resolve("run/" + name),
                out.resolve("logs/" + name + ".log"));
        children.add(child);
        return child;
    }

    /** With {@code -Dbench.gclog=true}, both servers log their collections to {@code logs/<name>-gc.log}. */
    private List<String> gcLog(String name) {
        if (!Boolean.getBoolean("bench.gclog")) {
            return List.of();
        }
        return List.of("-Xlog:gc*,gc+age=trace:file=" + out.resolve("logs/" + name + "-gc.log") + ":uptime,level,tags");
    }

    private synchronized void stopChildren() {
        for (Child child : children) {
            child.close();
        }
        children.clear();
    }

    // ---------------------------------------------------------------- helpers

    private static List<Double> millis(List<Long> nanos) {
        return nanos.stream().map(n -> Stats.round(n / 1e6)).toList();
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + line);
        System.out.flush();
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
