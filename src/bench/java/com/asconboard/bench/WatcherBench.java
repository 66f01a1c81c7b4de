package com.asconboard.bench;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.jobs.JobQueue;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.ticket.Activation;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The watcher over many active accounts with App Store Connect answering slowly, on two bot instances sharing
 * one PostgreSQL: the time until every account has been checked once, against the ideal (accounts × Apple round
 * trips per check × latency ÷ (instances × concurrent checks per instance)), and whether each account was
 * checked exactly once (Apple's requests counted per key).
 *
 * <p>The accounts are seeded straight into the database with the bot's own store classes, as the bot records
 * them: a ticket opened, its key sealed under the master key, a passing verification — whose change activates
 * the account and plans its watch job, exactly as in the bot. Creating 10,000 through Slack and the upload page
 * would take most of the benchmark's time for nothing it measures.
 */
final class WatcherBench {
    static final String VENDOR = "builds@vendor.example";
    /** The job threads of an instance (JobTiming.DEFAULT): how many checks one instance runs at once. */
    static final int CHECKS_PER_INSTANCE = 4;
    static final int INSTANCES = 2;
    static final double TARGET_RATIO = 1.2;
    static final String TEAM_NAME_PREFIX = "Watched ";
    /** db-scheduler's name for the watch jobs (JobQueue.WATCH). */
    static final String WATCH_TASK = "watch";

    /** Starts one bot instance on the database (a child JVM of the jar). */
    interface Instances {
        Child start(String name, String databaseUrl) throws Exception;
    }

    private final FakeSlack slack;
    private final FakeAsc asc;

    WatcherBench(FakeSlack slack, FakeAsc asc) {
        this.slack = slack;
        this.asc = asc;
    }

    Map<String, Object> run(String databaseUrl, int accounts, long latencyMs, Instances instances) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accounts", accounts);
        m.put("instances", INSTANCES);
        m.put("checks_per_instance", CHECKS_PER_INSTANCE);
        m.put("asc_latency_ms", latencyMs);
        asc.setLatency(Duration.ZERO);
        long began = System.nanoTime();
        seed(databaseUrl, accounts);
        m.put("seed_seconds", seconds(began));
        m.put("seeded_how", "in the database through the bot's store classes (JdbcTicketRepository, "
                + "JdbcSecretStore, TicketChanges with Activation): ticket, key sealed under the master key, "
                + "passing verification, 8 threads; their queued Slack messages dropped");

        List<Child> bots = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                bots.add(instances.start("watcher-" + (i + 1), databaseUrl));
            }
            for (Child bot : bots) {
                bot.awaitHealthy(Duration.ofSeconds(120));
            }
            // Unmeasured: the first check of each account replaces the seeded report with Apple's own (and posts
            // its status message), and the instances' code paths get compiled.
            SystemBench.log("watcher: a first, unmeasured round with App Store Connect at 0 ms");
            long warm = System.nanoTime();
            checkAll(databaseUrl, Duration.ofMinutes(15));
            m.put("unmeasured_round_at_0_ms_seconds", seconds(warm));
            long drainStart = System.nanoTime();
            awaitOutboxEmpty(databaseUrl, Duration.ofMinutes(15));
            m.put("status_messages_delivered_seconds", seconds(drainStart));
            slack.reset();
            asc.reset();

            SystemBench.log("watcher: the measured round with App Store Connect at " + latencyMs + " ms");
            asc.setLatency(Duration.ofMillis(latencyMs));
            long start = System.nanoTime();
            Timestamp marker = checkAll(databaseUrl, Duration.ofMinutes(30));
            double wall = (System.nanoTime() - start) / 1e9;
            asc.setLatency(Duration.ZERO);
            m.putAll(count(databaseUrl, marker, accounts, latencyMs, wall));
            m.put("slack_messages_posted", slack.calls("chat.postMessage").size());
        } finally {
            for (Child bot : bots) {
                bot.close();
            }
        }
        return m;
    }

    /** Apple's requests per key: each account checked once means each key asked the same few times. */
    private Map<String, Object> count(String databaseUrl, Timestamp marker, int accounts, long latencyMs,
            double wall) {
        Map<String, Integer> perKey = new HashMap<>();
        for (FakeAsc.Request r : asc.requests()) {
            if (r.keyId() != null) {
                perKey.merge(r.keyId(), 1, Integer::sum);
            }
        }
        TreeMap<Integer, Integer> keysByCount = new TreeMap<>();
        perKey.values().forEach(c -> keysByCount.merge(c, 1, Integer::sum));
        int tripsPerCheck = keysByCount.isEmpty() ? 0 : keysByCount.entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        long checkedOnce = Postgres.count(databaseUrl, "SELECT COUNT(*) FROM tickets WHERE watched_at >= '"
                + marker.toInstant() + "'");
        double ideal = (double) accounts * tripsPerCheck * latencyMs / 1000.0 / (INSTANCES * CHECKS_PER_INSTANCE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asc_requests", perKey.values().stream().mapToInt(Integer::intValue).sum());
        m.put("keys_asked", perKey.size());
        m.put("keys_by_request_count", keysByCount);
        m.put("asc_round_trips_per_check", tripsPerCheck);
        m.put("accounts_with_a_new_check", checkedOnce);
        m.put("each_checked_exactly_once", perKey.size() == accounts && keysByCount.size() == 1
                && checkedOnce == accounts);
        m.put("wall_seconds", Stats.round(wall));
        m.put("ideal_seconds", Stats.round(ideal));
        m.put("ratio", Stats.round(wall / ideal));
        m.put("target_ratio", TARGET_RATIO);
        m.put("met", wall / ideal <= TARGET_RATIO);
        return m;
    }

    // ---------------------------------------------------------------- seeding

    private void seed(String databaseUrl, int accounts) throws Exception {
        SystemBench.log("watcher: seeding " + accounts + " active accounts in the database");
        Clock clock = Clock.systemUTC();
        SecretBox box = new SecretBox(Base64.getDecoder().decode(TestBot.MASTER_KEY));
        try (Database database = Database.open(databaseUrl, "", "")) {
            JdbcTicketRepository tickets = new JdbcTicketRepository(database);
            JdbcSecretStore secrets = new JdbcSecretStore(database);
            TicketChanges changes = new TicketChanges(tickets, new JdbcOutbox(database), database, clock, List.of());
            changes.settleWith(new Activation(changes, new JobQueue(database.joiningDataSource(), clock), clock,
                    Duration.ofHours(24)));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < accounts; i++) {
                    int n = i;
                    work.add(pool.submit(() -> {
                        seedOne(n, tickets, secrets, changes, box, clock);
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            long active = tickets.countByState().getOrDefault("active", 0L);
            if (active < accounts) {
                throw new IllegalStateException("only " + active + " of " + accounts + " seeded accounts are active: "
                        + tickets.countByState());
            }
            // The seeded tickets' own Slack messages (opened, key received, activated: 40,000 for 10,000) are not
            // what is measured: they are dropped, and the first check posts each account's status message.
            try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM slack_outbox");
            }
        }
    }

    /** One account in FakeAsc and, as the bot would have recorded it, in the database. */
    private void seedOne(int n, JdbcTicketRepository tickets, JdbcSecretStore secrets, TicketChanges changes,
            SecretBox box, Clock clock) {
        String teamId = String.format("W%09d", n);
        String keyId = String.format("WK%08d", n);
        String teamName = TEAM_NAME_PREFIX + n;
        FakeAsc.Account account = asc.addAccount(teamId, teamName);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, SlackLoad.ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
        account.addCertificate("Apple Distribution: " + teamName, FakeAsc.CertificateType.DISTRIBUTION,
                Instant.now().plus(Duration.ofDays(200)));
        TicketDetails details = new TicketDetails("Customer " + n, teamName, teamId, SlackLoad.ISSUER, keyId);
        Instant now = clock.instant();
        Ticket ticket = changes.inTransaction(() -> {
            Ticket t = tickets.create(FakeSlack.TEAM_ID, SlackRequests.CHANNEL, SlackRequests.USER, details, now);
            changes.record(t, SlackRequests.USER, TicketEvent.Kind.OPENED, "opened " + t.key());
            secrets.put(t.id(), KeyVault.API_KEY, box.seal(pair.getPrivate().getEncoded(),
                    SecretBox.aadFor(t.id(), KeyVault.API_KEY)), now);
            tickets.keyReceived(t.id(), now, "192.0.2.1", keyId);
            return t;
        });
        changes.apply(ticket.id(), t -> {
            tickets.finishVerification(t.id(), SlackRequests.USER, passing(teamId, now), now);
            return null;
        });
    }

    private static VerificationReport passing(String teamId, Instant at) {
        return new VerificationReport(at, List.of(
                new Check(Kind.AUTHENTICATION, Outcome.PASSED, "Apple accepted the key", null),
                new Check(Kind.PROVISIONING, Outcome.PASSED, "the key can read the account's certificates", null),
                new Check(Kind.TEAM, Outcome.PASSED, "the key belongs to Team ID " + teamId, null),
                new Check(Kind.SLOTS, Outcome.PASSED, "1 of 3 in use, 2 free for the vendor", null),
                new Check(Kind.VENDOR_USER, Outcome.PASSED, VENDOR, null)), List.of());
    }

    // ---------------------------------------------------------------- rounds

    /**
     * Makes every watch job due now (as {@code AscOnboard.watchOnce} does, but for instances in other JVMs) and
     * waits until each has run and planned its next check. Returns the database time the round started at.
     */
    private static Timestamp checkAll(String databaseUrl, Duration limit) throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl)) {
            Timestamp marker;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE scheduled_tasks SET execution_time = CURRENT_TIMESTAMP WHERE task_name = '"
                        + WATCH_TASK + "' AND picked = FALSE");
                try (var rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                    rs.next();
                    marker = rs.getTimestamp(1);
                }
            }
            long deadline = System.nanoTime() + limit.toNanos();
            try (PreparedStatement due = c.prepareStatement("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = '"
                    + WATCH_TASK + "' AND (execution_time <= ? OR picked = TRUE)")) {
                due.setTimestamp(1, marker);
                while (System.nanoTime() < deadline) {
                    try (var rs = due.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            return marker;
                        }
                    }
                    Thread.sleep(20);
                }
            }
        }
        throw new IllegalStateException("the watch checks did not all run within " + limit);
    }

    private static void awaitOutboxEmpty(String databaseUrl, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (Postgres.count(databaseUrl, "SELECT COUNT(*) FROM slack_outbox") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox was not delivered within " + limit);
            }
            Thread.sleep(200);
        }
    }

    private static double seconds(long since) {
        return Stats.round((System.nanoTime() - since) / 1e9);
    }
}
