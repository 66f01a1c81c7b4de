package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import com.asconboard.upload.UploadLinks;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once against one bot: every request is answered correctly, and the one-time links
 * stay one-time. Counts, not speed: how fast is for the benchmarks.
 */
class ConcurrentLoadTest {
    /** Client threads: well above the server's own pool share per route, well below what would starve the machine. */
    static final int CLIENTS = 48;
    /** A guard against a hang, not a performance figure. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static MutableClock clock;
    static AscOnboard bot;
    static SlackRequests requests;
    static TicketDriver driver;
    static final UploadClient browser = new UploadClient();
    static ExecutorService clients;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        clock = MutableClock.startingNow();
        bot = TestBot.start(TestBot.environment(slack, dir), clock);
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    static void stop() throws Exception {
        clients.shutdownNow();
        bot.close();
        slack.close();
    }

    @BeforeEach
    void freshWindow() {
        // Refused uploads are limited per address and window; each test starts a new window.
        clock.advance(Duration.ofMinutes(11));
        slack.reset();
    }

    /** Runs every task at once (as far as {@link #CLIENTS} threads go) and returns their results in order. */
    static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(clients.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                futures.forEach(f -> f.cancel(true));
                throw new AssertionError("requests still unanswered after " + GIVE_UP_AFTER + "; " + results.size()
                        + " of " + tasks.size() + " done");
            }
        }
        return results;
    }

    static String jdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    }

    /** The .p8 (PKCS#8) stored for each ticket, unsealed. */
    static Map<Long, byte[]> storedKeys() throws Exception {
        SecretBox box = new SecretBox(Base64.getDecoder().decode(TestBot.MASTER_KEY));
        Map<Long, byte[]> keys = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl());
                PreparedStatement select = c.prepareStatement(
                        "SELECT ticket_id, sealed FROM ticket_secrets WHERE purpose = ?")) {
            select.setString(1, UploadLinks.KEY_PURPOSE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long ticket = rs.getLong(1);
                    byte[] previous = keys.put(ticket, box.open(Sealed.fromBytes(rs.getBytes(2)),
                            SecretBox.aadFor(ticket, UploadLinks.KEY_PURPOSE)));
                    assertThat(previous).as("one key per ticket, ASC-" + ticket).isNull();
                }
            }
        }
        return keys;
    }

    @Test
    void five_hundred_concurrent_slash_commands_are_all_answered() throws Exception {
        driver.open("Listed Ltd", null, null, null, null);
        List<Callable<HttpResponse<String>>> commands = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String text = i % 2 == 0 ? "help" : "list";
            commands.add(() -> requests.command(text));
        }

        List<HttpResponse<String>> answers = together(commands);

        assertThat(answers).hasSize(500);
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i);
            assertThat(answer.statusCode()).as("command " + i + ": " + answer.body()).isEqualTo(200);
            // Each got its own answer, not a neighbour's.
            assertThat(SlackRequests.text(answer)).as("command " + i)
                    .contains(i % 2 == 0 ? "/asc-onboard status ASC-<n>" : "Listed Ltd");
        }
        assertThat(SlackRequests.text(requests.command("help"))).contains("/asc-onboard list");
    }

    @Test
    void one_hundred_concurrent_uploads_to_one_hundred_links_store_one_hundred_keys() throws Exception {
        Map<Long, byte[]> before = storedKeys();
        List<Long> ticketIds = new ArrayList<>();
        List<Callable<Integer>> uploads = new ArrayList<>();
        Map<Long, byte[]> uploaded = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            String keyId = String.format("LOAD%06d", i);
            TicketDriver.Opened ticket = driver.open("Load " + i, null, null, null, keyId);
            String url = driver.uploadLink(ticket);
            var pair = TestKeys.ecP256();
            byte[] file = TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8);
            long id = Long.parseLong(ticket.number());
            ticketIds.add(id);
            uploaded.put(id, TestKeys.applePkcs8(pair));
            uploads.add(() -> browser.upload(url, "AuthKey_" + keyId + ".p8", file).status());
        }

        List<Integer> statuses = together(uploads);

        assertThat(statuses).hasSize(100).containsOnly(200);
        Map<Long, byte[]> stored = storedKeys();
        stored.keySet().removeAll(before.keySet());
        assertThat(stored).hasSize(100);
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(ticketIds);
        for (long id : ticketIds) {
            assertThat(stored.get(id)).as("ASC-" + id + " holds the key sent through its own link")
                    .isEqualTo(uploaded.get(id));
        }
    }

    @Test
    void fifty_concurrent_uploads_to_one_link_store_exactly_one_key() throws Exception {
        TicketDriver.Opened ticket = driver.open("Contended Ltd", null, null, null, "ONELINK001");
        String url = driver.uploadLink(ticket);
        long id = Long.parseLong(ticket.number());
        List<byte[]> candidates = new ArrayList<>();
        List<Callable<Integer>> uploads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            var pair = TestKeys.ecP256();
            byte[] file = TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8);
            candidates.add(TestKeys.applePkcs8(pair));
            uploads.add(() -> browser.upload(url, "AuthKey_ONELINK001.p8", file).status());
        }

        List<Integer> statuses = together(uploads);

        assertThat(statuses).hasSize(50).containsOnly(200, 410);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        try (Connection c = DriverManager.getConnection(jdbcUrl());
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM ticket_secrets WHERE ticket_id = " + id)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        byte[] stored = storedKeys().get(id);
        assertThat(candidates.stream().filter(k -> java.util.Arrays.equals(k, stored))).hasSize(1);
    }
}
