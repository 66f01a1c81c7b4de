package com.asconboard.bench;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance killed ({@code kill -9}) while it waits for App Store Connect in a verification, and a survivor on
 * the same PostgreSQL that was running all along: the time from the kill until the survivor has posted the
 * verification report in the ticket's thread. The survivor takes the job over once its lease has run out
 * (heartbeat × 4 after the dead instance's last heartbeat), so the production lease and the tests' short one
 * are both measured.
 */
final class KillBench {
    /** Starts one bot instance (a child JVM of the jar) with these JVM options. */
    interface Instances {
        Child start(String name, String databaseUrl, List<String> jvmOptions) throws Exception;
    }

    /** Job timing as the JVM options set it; empty options are the production defaults. */
    record Timing(String label, List<String> jvmOptions, double leaseSeconds) {
    }

    static final List<Timing> TIMINGS = List.of(
            new Timing("production lease (heartbeat 5 s × 4 = 20 s, poll 1 s)", List.of(), 20),
            new Timing("test lease (heartbeat 0.25 s × 4 = 1 s, poll 0.1 s)",
                    List.of("-Dasconboard.jobs.poll=PT0.1S", "-Dasconboard.jobs.heartbeat=PT0.25S"), 1));
    static final int KILLS = Integer.getInteger("bench.kills", 3);

    private final FakeSlack slack;
    private final FakeAsc asc;
    private final UploadClient browser = new UploadClient();
    private int accounts;

    KillBench(FakeSlack slack, FakeAsc asc) {
        this.slack = slack;
        this.asc = asc;
    }

    List<Map<String, Object>> run(Postgres postgres, Instances instances) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Timing timing : TIMINGS) {
            String url = postgres.freshDatabase("kill");
            SystemBench.log("kill -9 mid-verification, " + timing.label() + ": " + KILLS + " kills");
            List<Long> takeover = new ArrayList<>();
            List<Long> heartbeatAge = new ArrayList<>();
            List<Integer> reports = new ArrayList<>();
            int voided = 0;
            try (Child survivor = instances.start("survivor", url, timing.jvmOptions())) {
                survivor.awaitHealthy(Duration.ofSeconds(120));
                for (int i = 0; i < KILLS; i++) {
                    Map<String, Long> sample = once(url, instances, timing, "doomed-" + (i + 1));
                    if (sample == null) {
                        voided++;
                        i--;
                        if (voided > KILLS) {
                            throw new IllegalStateException("the survivor kept taking the verification itself");
                        }
                        continue;
                    }
                    takeover.add(sample.get("nanos"));
                    heartbeatAge.add(sample.get("heartbeat_age_ms"));
                    reports.add(sample.get("reports").intValue());
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("timing", timing.label());
            row.put("lease_seconds", timing.leaseSeconds());
            row.put("kill_to_report", Stats.of(takeover.stream().mapToLong(Long::longValue).toArray()).json());
            row.put("runs_ms", takeover.stream().map(n -> Stats.round(n / 1e6)).toList());
            row.put("ms_since_last_heartbeat_at_kill", heartbeatAge);
            row.put("reports_posted_per_ticket", reports);
            row.put("samples_voided_survivor_ran_it", voided);
            rows.add(row);
        }
        return rows;
    }

    /**
     * One kill: a new doomed instance, a ticket opened through it, the key uploaded through it; App Store Connect
     * holds its first answer, and once the doomed instance is waiting for it, SIGKILL. Null when the survivor, not
     * the doomed instance, happened to claim the verification.
     */
    private Map<String, Long> once(String url, Instances instances, Timing timing, String name) throws Exception {
        try (Child doomed = instances.start(name, url, timing.jvmOptions())) {
            doomed.awaitHealthy(Duration.ofSeconds(120));
            accounts++;
            String teamId = String.format("KILL%06d", accounts);
            String keyId = String.format("KKEY%06d", accounts);
            FakeAsc.Account account = asc.addAccount(teamId, "Killed " + accounts);
            KeyPair pair = TestKeys.ecP256();
            account.addKey(keyId, SlackLoad.ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(doomed.port));
            TicketDriver.Opened ticket = driver.open("Killed " + accounts, "Killed " + accounts, teamId,
                    SlackLoad.ISSUER, keyId);
            String link = driver.uploadLink(ticket);
            asc.reset();
            // Held far longer than any lease: whoever asks first waits until it is killed.
            asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofMinutes(2)));
            var answer = browser.upload(link, "AuthKey_" + keyId + ".p8",
                    TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8));
            if (answer.status() != 200) {
                throw new IllegalStateException("upload refused: " + answer.status() + " " + answer.body());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (asc.requests("/v1/apps").stream().noneMatch(r -> keyId.equals(r.keyId()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no instance asked App Store Connect within 60 s");
                }
                Child.sleepMillis(5);
            }
            String pickedBy = pickedBy(url, ticket);
            if (!name.equals(pickedBy)) {
                SystemBench.log("  the verification went to " + pickedBy + ", not " + name + ": sample voided");
                awaitReport(ticket, Duration.ofMinutes(3));
                slack.reset();
                return null;
            }
            long heartbeatAge = heartbeatAgeMs(url, ticket);
            long killedAt = System.nanoTime();
            doomed.kill();
            awaitReport(ticket, Duration.ofMinutes(3));
            long took = System.nanoTime() - killedAt;
            Child.sleepMillis(500);
            long reports = reportsIn(ticket);
            SystemBench.log("  " + name + " killed " + heartbeatAge + " ms after its last heartbeat; the survivor "
                    + "posted the report " + Math.round(took / 1e6) + " ms after the kill");
            slack.reset();
            return Map.of("nanos", took, "heartbeat_age_ms", heartbeatAge, "reports", reports);
        }
    }

    private static String pickedBy(String url, TicketDriver.Opened ticket) throws Exception {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "SELECT picked_by FROM scheduled_tasks WHERE task_name = 'verify' AND task_instance = ?")) {
            s.setString(1, ticket.number());
            try (var rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long heartbeatAgeMs(String url, TicketDriver.Opened ticket) throws Exception {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(
                "SELECT EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - last_heartbeat)) * 1000 FROM scheduled_tasks "
                        + "WHERE task_name = 'verify' AND task_instance = ?")) {
            s.setString(1, ticket.number());
            try (var rs = s.executeQuery()) {
                return rs.next() ? Math.round(rs.getDouble(1)) : -1;
            }
        }
    }

    private void awaitReport(TicketDriver.Opened ticket, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (reportsIn(ticket) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ticket.key() + ": no verification report within " + limit);
            }
            Child.sleepMillis(2);
        }
    }

    private long reportsIn(TicketDriver.Opened ticket) {
        return slack.calls("chat.postMessage").stream().filter(c -> ticket.ts().equals(c.param("thread_ts"))
                && c.param("text") != null && c.param("text").contains("verification:")).count();
    }
}
