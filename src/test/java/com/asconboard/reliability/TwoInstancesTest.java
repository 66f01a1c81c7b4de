package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TestDatabases;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL, one fake Slack and one fake App Store Connect; the test plays the load
 * balancer. Whatever instance a request reaches, each guarantee holds once.
 */
class TwoInstancesTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeAsc asc;
    String databaseUrl;
    AscOnboard a;
    AscOnboard b;
    SlackRequests toA;
    SlackRequests toB;
    TicketDriver viaA;
    final UploadClient browser = new UploadClient();

    @BeforeEach
    void start() {
        databaseUrl = TestDatabases.freshPostgres();
        slack = new FakeSlack();
        asc = new FakeAsc();
        a = TestBot.start(env("instance-a"), Clock.systemUTC());
        b = TestBot.start(env("instance-b"), Clock.systemUTC());
        toA = new SlackRequests(a.port());
        toB = new SlackRequests(b.port());
        viaA = new TicketDriver(slack, toA);
    }

    Map<String, String> env(String instance) {
        Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
        env.put("DATABASE_URL", databaseUrl);
        env.put("ASC_API_URL", asc.url());
        env.put("INSTANCE_ID", instance);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        return env;
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        asc.close();
        slack.close();
    }

    SlackRequests either(int i) {
        return i % 2 == 0 ? toA : toB;
    }

    void awaitDelivered() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((a.undelivered() > 0 || b.undelivered() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(a.undelivered()).as("the outbox drained").isZero();
    }

    List<FakeSlack.Call> thread(String ts) {
        return slack.calls("chat.postMessage").stream().filter(c -> ts.equals(c.param("thread_ts"))).toList();
    }

    @Test
    void each_ticket_gets_one_status_message_and_its_thread_in_event_order_whichever_instance_acts() throws Exception {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            customers.add("Balanced " + i);
            either(i).submitView("new_onboarding", SlackRequests.CHANNEL,
                    SlackRequests.form("Balanced " + i, null, null, null, null));
        }
        awaitDelivered();
        for (String customer : customers) {
            List<FakeSlack.Call> status = slack.calls("chat.postMessage").stream()
                    .filter(c -> c.param("thread_ts") == null && c.param("text").contains(" · " + customer + " — "))
                    .toList();
            assertThat(status).as("status messages of %s", customer).hasSize(1);
        }
        // Five edits of one ticket, alternating between the instances, each from the form as it then is.
        FakeSlack.Call first = slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("thread_ts") == null && c.param("text").contains(" · Balanced 0 — ")).findFirst()
                .orElseThrow();
        String number = first.param("text").replaceAll("^ASC-(\\d+).*", "$1");
        for (int version = 0; version < 5; version++) {
            either(version).submitView("edit_details", number + ":" + version,
                    SlackRequests.form("Balanced 0", "Team v" + version, null, null, null));
        }
        awaitDelivered();

        String ts = slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") != null
                && c.param("text").contains("opened ASC-" + number + " ")).findFirst().orElseThrow().param("thread_ts");
        List<String> replies = thread(ts).stream().map(c -> c.param("text")).toList();
        assertThat(replies).hasSize(6).doesNotHaveDuplicates();
        assertThat(replies.get(0)).contains("opened ASC-" + number);
        for (int version = 0; version < 5; version++) {
            assertThat(replies.get(version + 1)).contains("Team Name " + (version == 0 ? "(none)" : "Team v"
                    + (version - 1)) + " → Team v" + version);
        }
    }

    @Test
    void an_edit_from_a_form_opened_before_the_last_edit_is_refused() {
        TicketDriver.Opened ticket = viaA.open("Stale Forms Co", null, null, null, null);

        var saved = toA.submitView("edit_details", ticket.number() + ":0",
                SlackRequests.form("Stale Forms Co", "First edit", null, null, null));
        var refused = toB.submitView("edit_details", ticket.number() + ":0",
                SlackRequests.form("Stale Forms Co", "Second edit", null, null, null));

        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain("errors");
        assertThat(refused.body()).contains("\"response_action\":\"errors\"", "changed by someone else");
        viaA.reply(ticket, "First edit");
        assertThat(thread(ticket.ts()).stream().map(c -> c.param("text"))).noneMatch(t -> t.contains("Second edit"));
    }

    /** A customer account with a working key, and a ticket holding its IDs; returns the key pair. */
    KeyPair account(String teamId, String keyId) {
        FakeAsc.Account account = asc.addAccount(teamId, "Team " + teamId);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        return pair;
    }

    @Test
    void twenty_concurrent_uploads_to_one_link_through_both_instances_store_one_key() throws Exception {
        KeyPair pair = account("TWOINST001", "TWOKEY0001");
        TicketDriver.Opened ticket = viaA.open("Race Uploads", "Team TWOINST001", "TWOINST001", ISSUER, "TWOKEY0001");
        String link = viaA.uploadLink(ticket);
        String token = link.substring(link.lastIndexOf('/') + 1);
        byte[] file = TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int port = i % 2 == 0 ? a.port() : b.port();
            answers.add(pool.submit(() -> browser.upload("http://127.0.0.1:" + port + "/upload/" + token,
                    "AuthKey_TWOKEY0001.p8", file).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 410);
        viaA.reply(ticket, "verification:");
        awaitDelivered();
        assertThat(thread(ticket.ts()).stream().filter(c -> c.param("text").contains("uploaded AuthKey_"))).hasSize(1);
        assertThat(thread(ticket.ts()).stream().filter(c -> c.param("text").contains("verification:"))).hasSize(1);
    }

    @Test
    void two_create_certificate_clicks_on_two_instances_make_one_request_to_apple() throws Exception {
        KeyPair pair = account("TWOINST002", "TWOKEY0002");
        TicketDriver.Opened ticket = viaA.open("Double Click", "Team TWOINST002", "TWOINST002", ISSUER, "TWOKEY0002");
        assertThat(browser.upload(viaA.uploadLink(ticket), "AuthKey_TWOKEY0002.p8",
                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        viaA.reply(ticket, "verification:");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<Integer>> clicks = List.of(
                () -> toA.click("ticket_create_certificate", ticket.number(), ticket.ts()).statusCode(),
                () -> toB.click("ticket_create_certificate", ticket.number(), ticket.ts()).statusCode());
        for (Future<Integer> click : pool.invokeAll(clicks)) {
            assertThat(click.get()).isEqualTo(200);
        }
        pool.shutdown();
        viaA.reply(ticket, "created the vendor's distribution certificate");
        awaitDelivered();

        assertThat(asc.requests("/v1/certificates").stream().filter(r -> "POST".equals(r.method()))).hasSize(1);
        assertThat(thread(ticket.ts()).stream().filter(c -> c.param("text").contains("created the vendor's"))).hasSize(1);
    }

    @Test
    void the_watch_checks_each_account_once_per_interval_across_both_instances() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String teamId = String.format("WATCHT%04d", i);
            String keyId = String.format("WATCHK%04d", i);
            KeyPair pair = account(teamId, keyId);
            TicketDriver.Opened ticket = viaA.open("Watched " + i, "Team " + teamId, teamId, ISSUER, keyId);
            assertThat(browser.upload(viaA.uploadLink(ticket), "AuthKey_" + keyId + ".p8",
                    TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
            viaA.reply(ticket, "verification:");
            // Only active accounts are watched: step 1 confirmed by hand completes the five steps.
            either(i).click("ticket_confirm_access", ticket.number(), ticket.ts());
            viaA.reply(ticket, "is active and watched");
            keys.add(keyId);
        }
        asc.reset();

        // Every account's next check falls due now; both instances look for due checks.
        try (Connection c = DriverManager.getConnection(databaseUrl)) {
            int due = c.createStatement().executeUpdate(
                    "UPDATE scheduled_tasks SET execution_time = CURRENT_TIMESTAMP WHERE task_name = 'watch'");
            assertThat(due).isEqualTo(6);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && keys.stream().anyMatch(k -> appsCalls(k) == 0)) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000);

        for (String key : keys) {
            assertThat(appsCalls(key)).as("checks of %s", key).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection(databaseUrl)) {
            var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'watch' "
                    + "AND execution_time > CURRENT_TIMESTAMP + INTERVAL '30 seconds'");
            rs.next();
            assertThat(rs.getInt(1)).as("each next check planned an interval ahead").isEqualTo(6);
        }
    }

    long appsCalls(String keyId) {
        return asc.requests("/v1/apps").stream().filter(r -> keyId.equals(r.keyId())).count();
    }

    static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
