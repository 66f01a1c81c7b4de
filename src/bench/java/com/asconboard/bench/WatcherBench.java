package com.asconboard.bench;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The watcher over many onboarded accounts with App Store Connect answering slowly: one watch round's
 * wall time against the ideal (round trips × latency ÷ the watcher's concurrency). The bot runs in
 * this JVM so that the round can be started on demand instead of waiting for WATCH_INTERVAL.
 */
final class WatcherBench {
    static final String VENDOR = "builds@vendor.example";
    /** The watcher's own concurrency (see AscOnboard). */
    static final int CONCURRENCY = 4;
    static final double TARGET_RATIO = 1.5;

    private final FakeSlack slack;
    private final FakeAsc asc;
    private final Path dir;

    WatcherBench(FakeSlack slack, FakeAsc asc, Path dir) {
        this.slack = slack;
        this.asc = asc;
        this.dir = dir;
    }

    Map<String, Object> run(int accounts, long latencyMs) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("ASC_API_URL", asc.url());
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        // The watcher watches active accounts: with the vendor user in place, a verification completes the steps.
        env.put("VENDOR_APPLE_ID", VENDOR);
        asc.setLatency(Duration.ZERO);
        Map<String, Object> m = new LinkedHashMap<>();
        try (AscOnboard bot = TestBot.start(env, Clock.systemUTC())) {
            long setupStart = System.nanoTime();
            onboard(bot, accounts);
            awaitVerified(env, accounts);
            m.put("setup_seconds", Stats.round((System.nanoTime() - setupStart) / 1e9));

            asc.reset();
            slack.reset();
            asc.setLatency(Duration.ofMillis(latencyMs));
            long start = System.nanoTime();
            int checked = bot.watchOnce();
            double wall = (System.nanoTime() - start) / 1e9;
            asc.setLatency(Duration.ZERO);
            int trips = asc.requests().size();
            double ideal = trips * latencyMs / 1000.0 / CONCURRENCY;
            m.put("accounts", accounts);
            m.put("accounts_checked", checked);
            m.put("asc_latency_ms", latencyMs);
            m.put("asc_round_trips", trips);
            m.put("concurrency", CONCURRENCY);
            m.put("wall_seconds", Stats.round(wall));
            m.put("ideal_seconds", Stats.round(ideal));
            m.put("ratio", Stats.round(wall / ideal));
            m.put("target_ratio", TARGET_RATIO);
            m.put("met", wall / ideal <= TARGET_RATIO);
            m.put("slack_messages_posted", slack.calls("chat.postMessage").size());
        }
        return m;
    }

    /** Tickets with uploaded keys, in batches so that the fake Slack's record stays short. */
    private void onboard(AscOnboard bot, int accounts) throws Exception {
        SlackRequests requests = new SlackRequests(bot.port());
        TicketDriver driver = new TicketDriver(slack, requests);
        UploadClient browser = new UploadClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int batch = 0; batch < accounts; batch += 100) {
                List<Future<?>> work = new ArrayList<>();
                for (int i = batch; i < Math.min(accounts, batch + 100); i++) {
                    int n = i;
                    work.add(pool.submit(() -> {
                        String teamId = String.format("WTCH%06d", n);
                        String keyId = String.format("WKEY%06d", n);
                        FakeAsc.Account account = asc.addAccount(teamId, "Watched " + n);
                        KeyPair pair = TestKeys.ecP256();
                        account.addKey(keyId, SlackLoad.ISSUER, (ECPublicKey) pair.getPublic(),
                                FakeAsc.Role.APP_MANAGER);
                        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
                        account.addCertificate("Apple Distribution: Watched " + n,
                                FakeAsc.CertificateType.DISTRIBUTION, Instant.now().plus(Duration.ofDays(200)));
                        TicketDriver.Opened ticket = driver.open("Watched " + n, "Watched " + n, teamId,
                                SlackLoad.ISSUER, keyId);
                        String link = driver.uploadLink(ticket);
                        var answer = browser.upload(link, "AuthKey_" + keyId + ".p8",
                                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8));
                        if (answer.status() != 200) {
                            throw new IllegalStateException("upload refused: " + answer.status());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(2, TimeUnit.MINUTES);
                }
                slack.reset();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitVerified(Map<String, String> env, int accounts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (var c = DriverManager.getConnection(env.get("DATABASE_URL"));
                    var rs = c.createStatement().executeQuery(
                            "SELECT COUNT(*) FROM tickets WHERE verification_state = 'DONE'")) {
                rs.next();
                if (rs.getLong(1) >= accounts) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the accounts were not all verified within 5 minutes");
    }
}
