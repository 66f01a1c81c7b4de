package com.asconboard.bench;

import com.asconboard.bench.AckBench.App;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The system benchmark: starts {@code target/asc-onboard.jar} (on H2 and on PostgreSQL) and {@link BareBoltApp} as
 * child JVMs against {@link FakeSlack} and {@link FakeAsc} (both in this process, on 127.0.0.1) and measures ack
 * latency, upload → verified, start-up, memory, the watcher over 10,000 accounts with two instances, and a
 * survivor finishing a killed instance's verification. Prints a table and writes {@code results.json}.
 *
 * <p>Arguments: the bot's jar, the test-classes directory (holds {@link BareBoltApp}), the output directory, and
 * optionally the build's start time (JMH results older than that are left out). Run through
 * {@code mvn -B -Pbench verify}; {@code -Dbench.parts=…} picks parts. Sizes can be changed with system properties
 * ({@code bench.rounds}, {@code bench.n1}, {@code bench.n16}, {@code bench.warmup}, {@code bench.uploads},
 * {@code bench.starts}, {@code bench.watch.accounts}, {@code bench.kills}); the defaults are what RESULTS.md reports.
 */
public final class SystemBench {
    /**
     * Which parts run (all by default, in this order): startup, ack, upload, kill, watcher. E.g.
     * {@code -Dbench.parts=ack} when running the class directly.
     */
    static final Set<String> PARTS = Set.of(System.getProperty("bench.parts", "startup,ack,upload,kill,watcher")
            .split("\\s*,\\s*"));
    static final int UPLOADS = Integer.getInteger("bench.uploads", 50);
    static final int UPLOAD_WARMUP = 3;
    static final int STARTS = Integer.getInteger("bench.starts", 5);
    static final int WATCH_ACCOUNTS = Integer.getInteger("bench.watch.accounts", 10_000);
    static final long WATCH_LATENCY_MS = 50;
    static final int CLICK_TICKETS = 16;
    static final long[] ASC_LATENCY_MS = {0, 50};
    static final double OVERHEAD_TARGET_MS = 100;
    static final double STARTUP_TARGET = 1.5;
    static final String VENDOR = "builds@vendor.example";
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** Kept so the JDK logging configuration cannot drop the level set on it. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("okhttp3.mockwebserver.MockWebServer");

    /** A database a bot can run on: H2 in a folder of its own, or a new database on the PostgreSQL server. */
    enum Db { H2, POSTGRESQL }

    private final Path jar;
    private final Path testClasses;
    private final Path out;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final FakeSlack slack;
    private final FakeAsc asc;
    private final String slackUrl;
    private final String ascUrl;
    private final Optional<Postgres> postgres;
    private final SlackLoad load = new SlackLoad();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Child> children = new ArrayList<>();
    private int accounts;

    private SystemBench(Path jar, Path testClasses, Path out, FakeSlack slack, FakeAsc asc,
            Optional<Postgres> postgres) {
        this.jar = jar;
        this.testClasses = testClasses;
        this.out = out;
        this.slack = slack;
        this.asc = asc;
        this.slackUrl = slack.apiUrl();
        this.ascUrl = asc.url();
        this.postgres = postgres;
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
        // The benchmark JVM seeds accounts with the bot's own classes: their INFO lines would drown its output.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, Object> results;
        FakeAsc asc = new FakeAsc();
        try (FakeSlack slack = new FakeSlack()) {
            Optional<Postgres> postgres = Postgres.start(out.resolve("run/pg"));
            SystemBench bench = new SystemBench(jar, Path.of(args[1]).toAbsolutePath(), out, slack, asc, postgres);
            bench.results.put("machine", Report.machine());
            bench.results.put("postgresql", postgres.map(p -> (Object) Map.of("server", p.description(),
                    "fsync", p.setting("fsync"), "synchronous_commit", p.setting("synchronous_commit"),
                    "version", p.setting("server_version"))).orElse("not installed and not given: rows skipped"));
            bench.results.put("fakes", bench.calibrate());
            Runtime.getRuntime().addShutdownHook(new Thread(bench::stopChildren, "stop-children"));
            try {
                bench.run();
            } finally {
                bench.stopChildren();
                bench.load.close();
                postgres.ifPresent(Postgres::close);
            }
            results = bench.results;
        } finally {
            try {
                asc.close();
            } catch (java.io.UncheckedIOException stillHoldingAnAnswer) {
                // An answer held for a killed instance is still pending; the fake's threads end with the JVM.
            }
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
        setup.put("bot", "target/asc-onboard.jar as child JVMs (java -jar, no JVM flags), env pointing at the fakes "
                + "in the bench JVM; one on H2 (a file of its own), one on PostgreSQL (a database of its own)");
        setup.put("bare", "BareBoltApp (src/bench) as a child JVM: java -cp asc-onboard.jar:test-classes, "
                + "no JVM flags");
        setup.put("client", "OkHttp 4.12, HTTP/1.1 keep-alive, requests built and signed before the clock starts");
        setup.put("bench_jvm", "fakes, load client and PostgreSQL share the 2 cores with the children");
        setup.put("parts", PARTS);
        results.put("setup", setup);

        if (PARTS.contains("startup")) {
            startup();
            save();
        }
        if (PARTS.contains("ack") || PARTS.contains("upload")) {
            acksAndUploads();
            save();
        }
        if (PARTS.contains("kill")) {
            if (postgres.isEmpty()) {
                results.put("kill", "skipped: it needs PostgreSQL (two instances share one database)");
            } else {
                results.put("kill", new KillBench(slack, asc).run(postgres.get(), this::startOurs));
            }
            save();
        }
        if (PARTS.contains("watcher")) {
            if (postgres.isEmpty()) {
                results.put("watcher", "skipped: it needs PostgreSQL (two instances share one database)");
            } else {
                results.put("watcher", new WatcherBench(slack, asc).run(postgres.get().freshDatabase("watcher"),
                        WATCH_ACCOUNTS, WATCH_LATENCY_MS, (name, url) -> startOurs(name, url, List.of())));
            }
            save();
        }
        ((Map<String, Object>) results.get("machine")).put("loadavg_at_end", Report.loadAverage());
    }

    /** What is measured so far, in case a later part fails or the run is stopped. */
    private void save() throws IOException {
        Files.writeString(out.resolve("results-partial.json"), Report.json(results));
    }

    private String databaseUrl(Db db, String name) {
        return db == Db.H2 ? "jdbc:h2:file:" + out.resolve("run/" + name + "/db").toAbsolutePath()
                : postgres.orElseThrow().freshDatabase(name);
    }

    private List<Db> databases() {
        return postgres.isPresent() ? List.of(Db.H2, Db.POSTGRESQL) : List.of(Db.H2);
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

    private void startup() throws Exception {
        List<String> variants = new ArrayList<>(List.of("ours_h2_new_db", "ours_h2_existing_db"));
        if (postgres.isPresent()) {
            variants.add("ours_postgresql_existing_db");
        }
        variants.add("bare");
        log("start-up: " + STARTS + " runs each of " + variants + ", interleaved");
        // Unmeasured: creates the existing databases and brings the jar into the page cache for all.
        String h2Existing = databaseUrl(Db.H2, "startup-existing");
        String pgExisting = postgres.isPresent() ? databaseUrl(Db.POSTGRESQL, "startup") : null;
        for (String url : Arrays.asList(h2Existing, pgExisting)) {
            if (url != null) {
                try (Child first = startOurs("ours-startup-prime", url, List.of())) {
                    first.awaitHealthy(Duration.ofSeconds(120));
                }
            }
        }
        try (Child first = startBare("bare-startup-prime", List.of())) {
            first.awaitHealthy(Duration.ofSeconds(120));
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        variants.forEach(v -> times.put(v, new ArrayList<>()));
        for (int i = 0; i < STARTS; i++) {
            for (int j = 0; j < variants.size(); j++) {
                String variant = variants.get((i + j) % variants.size());
                String name = variant.replace('_', '-') + "-" + i;
                try (Child child = switch (variant) {
                    case "ours_h2_new_db" -> startOurs(name, databaseUrl(Db.H2, name), List.of());
                    case "ours_h2_existing_db" -> startOurs(name, h2Existing, List.of());
                    case "ours_postgresql_existing_db" -> startOurs(name, pgExisting, List.of());
                    default -> startBare(name, List.of());
                }) {
                    times.get(variant).add(child.awaitHealthy(Duration.ofSeconds(120)));
                }
            }
        }
        Map<String, Object> startup = new LinkedHashMap<>();
        Map<String, Object> runs = new LinkedHashMap<>();
        times.forEach((variant, list) -> {
            startup.put(variant, Stats.of(list.stream().mapToLong(Long::longValue).toArray()).json());
            runs.put(variant, millis(list));
        });
        startup.put("runs_ms", runs);
        startup.put("target_ratio", STARTUP_TARGET);
        startup.put("phases", startupPhases(h2Existing, pgExisting));
        results.put("startup", startup);
    }

    /** One more start of each, logging class loading, read as phases (see {@link StartupPhases}). */
    private Map<String, Object> startupPhases(String h2Existing, String pgExisting) throws Exception {
        Map<String, Object> phases = new LinkedHashMap<>();
        Path logs = out.resolve("logs");
        Files.createDirectories(logs);
        for (String variant : Arrays.asList("ours_h2_existing_db", pgExisting == null ? null
                : "ours_postgresql_existing_db", "bare")) {
            if (variant == null) {
                continue;
            }
            Path classLog = logs.resolve(variant + "-class-load.log");
            List<String> options = StartupPhases.jvmOptions(classLog);
            Child child = switch (variant) {
                case "ours_h2_existing_db" -> startOurs("phases-" + variant, h2Existing, options);
                case "ours_postgresql_existing_db" -> startOurs("phases-" + variant, pgExisting, options);
                default -> startBare("phases-bare", options);
            };
            long healthy;
            try (child) {
                healthy = child.awaitHealthy(Duration.ofSeconds(120));
            }
            // Read once the JVM has ended and written all of it.
            phases.put(variant, StartupPhases.read(classLog, variant.equals("bare") ? StartupPhases.BARE
                    : StartupPhases.BOT, healthy / 1e6));
        }
        return phases;
    }

    // ---------------------------------------------------------------- acks, memory, upload → verified

    private void acksAndUploads() throws Exception {
        log("starting the bot on " + databases() + " and the bare Bolt app");
        List<App> apps = new ArrayList<>();
        Map<Db, Child> bots = new LinkedHashMap<>();
        for (Db db : databases()) {
            String name = "ours-" + db.name().toLowerCase(java.util.Locale.ROOT);
            Child bot = startOurs(name, databaseUrl(db, name), List.of());
            bots.put(db, bot);
            apps.add(new App(name, bot, true));
        }
        Child bareChild = startBare("bare", List.of());
        App bare = new App("bare", bareChild, false);
        apps.add(bare);
        for (App app : apps) {
            app.child().awaitHealthy(Duration.ofSeconds(120));
        }
        for (Child bot : bots.values()) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port));
            List<String[]> targets = new ArrayList<>();
            for (int i = 0; i < CLICK_TICKETS; i++) {
                TicketDriver.Opened t = driver.open("Click Target " + i, null, "A1B2C3D4E5", SlackLoad.ISSUER,
                        "ABC1234567");
                targets.add(new String[] {t.number(), t.ts()});
            }
            load.clickOn(bot.port, targets);
        }
        slack.reset();

        AckBench acks = new AckBench(slack, load);
        if (PARTS.contains("ack")) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("warmup", acks.warmUp(apps));
            ack.put("open_tickets_before", openTickets(bots));
            ack.putAll(acks.measure(apps, bare));
            ack.put("open_tickets_after", openTickets(bots));
            results.put("ack", ack);
            Map<String, Object> memory = new LinkedHashMap<>();
            for (App app : apps) {
                memory.put(app.name(), memory(app.child()));
            }
            bots.forEach((db, bot) -> listLatency(db, bot));
            results.put("memory", memory);
        }
        if (PARTS.contains("upload")) {
            uploadToVerified(bots);
        }
        for (App app : apps) {
            app.child().close();
        }
    }

    private Map<String, Integer> openTickets(Map<Db, Child> bots) {
        Map<String, Integer> m = new LinkedHashMap<>();
        bots.forEach((db, bot) -> m.put(db.name().toLowerCase(java.util.Locale.ROOT), openTickets(bot)));
        return m;
    }

    /** {@code /asc-onboard list} (reads the database before the ack) on one bot, at concurrency 1. */
    private void listLatency(Db db, Child bot) {
        int tickets = openTickets(bot);
        Run list = load.run(bot.port, Kind.LIST, 200, 1, 0, RUN_LIMIT);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("database", db.name().toLowerCase(java.util.Locale.ROOT));
        row.put("request", Kind.LIST.label);
        row.put("open_tickets", tickets);
        row.put("concurrency", 1);
        row.put("ours", AckBench.withRate(Stats.of(list.nanos()), List.of(list)));
        row.put("errors", list.errors());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) results.computeIfAbsent("list_latency",
                k -> new ArrayList<Map<String, Object>>());
        rows.add(row);
    }

    private static final Pattern OPEN_COUNT = Pattern.compile("\\((\\d+), newest first\\)");

    /** What {@code /asc-onboard list} says about the number of open tickets. */
    private int openTickets(Child bot) {
        String ack = load.once(bot.port, Kind.LIST);
        Matcher m = OPEN_COUNT.matcher(ack);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Per sample a new App Store Connect account and key, a ticket opened through the form, an upload link through
     * the button; the clock runs from posting the {@code .p8} until the fake Slack holds the status update saying
     * "✅ verified". The databases and latencies take turns sample by sample.
     */
    private void uploadToVerified(Map<Db, Child> bots) {
        List<Db> dbs = new ArrayList<>(bots.keySet());
        int combos = dbs.size() * ASC_LATENCY_MS.length;
        log("upload → ✅ verified: " + UPLOADS + " samples for each of " + dbs + " × App Store Connect at "
                + Arrays.toString(ASC_LATENCY_MS) + " ms, taking turns, after " + UPLOAD_WARMUP + " unmeasured each");
        UploadClient browser = new UploadClient();
        Map<String, List<long[]>> samples = new LinkedHashMap<>();
        for (int i = 0; i < combos * (UPLOAD_WARMUP + UPLOADS); i++) {
            Db db = dbs.get(i % dbs.size());
            long latency = ASC_LATENCY_MS[(i / dbs.size()) % ASC_LATENCY_MS.length];
            boolean warm = i < combos * UPLOAD_WARMUP;
            Child bot = bots.get(db);
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port));
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
                samples.computeIfAbsent(db.name().toLowerCase(java.util.Locale.ROOT) + "/" + latency,
                        k -> new ArrayList<>()).add(new long[] {done, overhead, roundTrips, answered});
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, List<long[]>> e : samples.entrySet()) {
            List<long[]> s = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("database", e.getKey().substring(0, e.getKey().indexOf('/')));
            row.put("asc_latency_ms", Long.parseLong(e.getKey().substring(e.getKey().indexOf('/') + 1)));
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

    /** The bot from its jar, on {@code databaseUrl}, with the given JVM options (none: as an operator runs it). */
    private Child startOurs(String name, String databaseUrl, List<String> jvmOptions) throws IOException {
        Path dir = out.resolve("run/" + name);
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("DATABASE_URL", databaseUrl);
        env.put("SLACK_API_URL", slackUrl);
        env.put("ASC_API_URL", ascUrl);
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("INSTANCE_ID", name);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        int port = Integer.parseInt(env.get("PORT"));
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(gcLog(name));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        Child child = Child.start(name, port, command, env, dir, out.resolve("logs/" + name + ".log"));
        children.add(child);
        return child;
    }

    private Child startBare(String name, List<String> jvmOptions) throws IOException {
        int port = TestBot.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SlackRequests.SIGNING_SECRET);
        env.put("SLACK_API_URL", slackUrl);
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(gcLog(name));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar + File.pathSeparator + testClasses, BareBoltApp.class.getName()));
        Child child = Child.start(name, port, command, env, out.resolve("run/" + name),
                out.resolve("logs/" + name + ".log"));
        children.add(child);
        return child;
    }

    /** With {@code -Dbench.gclog=true}, the servers log their collections to {@code logs/<name>-gc.log}. */
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

    static void deleteTree(Path root) throws IOException {
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
