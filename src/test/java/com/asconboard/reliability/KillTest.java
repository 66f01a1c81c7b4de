package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.BotProcess;
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
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance killed ({@code kill -9}) in the middle of its work, and another on the same PostgreSQL that
 * finishes it within one lease: nothing acked is lost, nothing is done twice but the one Slack message that
 * was in flight.
 */
class KillTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeAsc asc;
    String databaseUrl;
    BotProcess doomed;
    AscOnboard survivor;
    SlackRequests toDoomed;
    TicketDriver viaDoomed;
    final UploadClient browser = new UploadClient();

    @BeforeEach
    void start() throws Exception {
        databaseUrl = TestDatabases.freshPostgres();
        slack = new FakeSlack();
        asc = new FakeAsc();
        Map<String, String> env = env("doomed");
        int port = Integer.parseInt(env.get("PORT"));
        doomed = BotProcess.start(dir, env).awaitHealthy(port);
        toDoomed = new SlackRequests(port);
        viaDoomed = new TicketDriver(slack, toDoomed);
    }

    Map<String, String> env(String instance) {
        Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
        env.put("DATABASE_URL", databaseUrl);
        env.put("ASC_API_URL", asc.url());
        env.put("INSTANCE_ID", instance);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        return env;
    }

    void startSurvivor() {
        survivor = TestBot.start(env("survivor"), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        doomed.close();
        if (survivor != null) {
            survivor.close();
        }
        try {
            asc.close();
        } catch (java.io.UncheckedIOException stillAnsweringTheKilledInstance) {
            // A held answer meant for the killed instance is still pending; the fake's threads end with the JVM.
        }
        slack.close();
    }

    List<FakeSlack.Call> thread(String ts, String text) {
        return slack.calls("chat.postMessage").stream().filter(c -> ts.equals(c.param("thread_ts"))
                && c.param("text").contains(text)).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    KeyPair account(String teamId, String keyId) {
        FakeAsc.Account account = asc.addAccount(teamId, "Team " + teamId);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        return pair;
    }

    @Test
    void a_form_acked_just_before_the_kill_is_shown_by_the_other_instance() throws Exception {
        // Slack fails the first post: the doomed instance has recorded the ticket but not shown it.
        slack.failNextHttp("chat.postMessage", 503, 1);
        var ack = toDoomed.submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Acked Then Killed", null, null, null, null));
        assertThat(ack.statusCode()).isEqualTo(200);
        doomed.kill();
        startSurvivor();

        await("the survivor showed the ticket", () -> slack.calls("chat.postMessage").stream()
                .anyMatch(c -> c.param("text").contains("opened ASC-")));
        await("the outbox drained", () -> survivor.undelivered() == 0);
        assertThat(slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null
                && c.param("text").contains("Acked Then Killed"))).as("the failed try and the one shown").hasSize(2);
        assertThat(slack.calls("chat.postMessage").stream().filter(c -> c.param("text").contains("opened ASC-")))
                .hasSize(1);
    }

    @Test
    void a_verification_cut_short_by_a_kill_is_finished_by_the_other_instance() throws Exception {
        KeyPair pair = account("KILLTEAM01", "KILLKEY001");
        TicketDriver.Opened ticket = viaDoomed.open("Killed Verifying", "Team KILLTEAM01", "KILLTEAM01", ISSUER,
                "KILLKEY001");
        String link = viaDoomed.uploadLink(ticket);
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(20)));
        assertThat(browser.upload(link, "AuthKey_KILLKEY001.p8", TestKeys.p8Pem(pair)
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        await("the doomed instance is asking Apple", () -> !asc.requests("/v1/apps").isEmpty());

        doomed.kill();
        startSurvivor();

        FakeSlack.Call report = viaDoomed.reply(ticket, "verification:");
        assertThat(report.param("text")).contains("✅ verified");
        Thread.sleep(1_000);
        assertThat(thread(ticket.ts(), "verification:")).hasSize(1);
    }

    @Test
    void a_certificate_requested_when_the_kill_came_is_adopted_not_requested_again() throws Exception {
        KeyPair pair = account("KILLTEAM02", "KILLKEY002");
        TicketDriver.Opened ticket = viaDoomed.open("Killed Certifying", "Team KILLTEAM02", "KILLTEAM02", ISSUER,
                "KILLKEY002");
        assertThat(browser.upload(viaDoomed.uploadLink(ticket), "AuthKey_KILLKEY002.p8", TestKeys.p8Pem(pair)
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        viaDoomed.reply(ticket, "verification:");
        // Apple issues the certificate, but its answer never reaches the instance that asked.
        asc.failNext("POST", "/v1/certificates", 1, FakeAsc.Fault.slow(Duration.ofSeconds(20)).afterHandling());
        toDoomed.click("ticket_create_certificate", ticket.number(), ticket.ts());
        await("Apple issued the certificate", () -> asc.account("KILLTEAM02").certificates().size() == 1);

        doomed.kill();
        startSurvivor();

        FakeSlack.Call created = viaDoomed.reply(ticket, "created the vendor's distribution certificate");
        String serial = asc.account("KILLTEAM02").certificates().get(0).serialNumber();
        assertThat(created.param("text")).contains(serial);
        assertThat(asc.requests("/v1/certificates").stream().filter(r -> "POST".equals(r.method()))).hasSize(1);
        assertThat(asc.account("KILLTEAM02").certificates()).hasSize(1);
    }

    @Test
    void a_message_in_flight_at_the_kill_is_the_only_one_shown_twice() throws Exception {
        TicketDriver.Opened ticket = viaDoomed.open("Killed Delivering", null, null, null, null);
        slack.hold("chat.postMessage");
        for (int i = 1; i <= 3; i++) {
            toDoomed.submitView("edit_details", ticket.number() + ":" + (i - 1),
                    SlackRequests.form("Killed Delivering", "Edit " + i, null, null, null));
        }
        await("the first edit is being delivered", () -> !thread(ticket.ts(), "Edit 1").isEmpty());

        doomed.kill();
        slack.release("chat.postMessage");
        startSurvivor();
        await("every edit is shown", () -> !thread(ticket.ts(), "→ Edit 3").isEmpty());
        await("the outbox drained", () -> survivor.undelivered() == 0);

        assertThat(thread(ticket.ts(), "→ Edit 1")).as("the message in flight").hasSizeBetween(1, 2);
        assertThat(thread(ticket.ts(), "→ Edit 2")).hasSize(1);
        assertThat(thread(ticket.ts(), "→ Edit 3")).hasSize(1);
    }
}
