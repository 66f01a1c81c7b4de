package com.asconboard.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload → verification → what the channel sees, with Slack and App Store Connect faked on loopback. */
class VerificationFlowTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String VENDOR = "builds@vendor.example";

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static FakeAsc asc;
    static AscOnboard bot;
    static SlackRequests requests;
    static TicketDriver driver;
    static final UploadClient browser = new UploadClient();
    static int accounts;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        asc = new FakeAsc();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("ASC_API_URL", asc.url());
        env.put("VENDOR_APPLE_ID", VENDOR);
        bot = TestBot.start(env, Clock.systemUTC());
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        asc.close();
        slack.close();
    }

    @BeforeEach
    void clear() {
        slack.reset();
        asc.clearFaults();
    }

    /** An account with a fresh key; returns the key pair and leaves the account to the test. */
    record Customer(FakeAsc.Account account, String teamId, String keyId, KeyPair pair) {
    }

    static Customer customer(String teamName) {
        accounts++;
        String teamId = String.format("TEAM%06d", accounts);
        String keyId = String.format("KEY%07d", accounts);
        FakeAsc.Account account = asc.addAccount(teamId, teamName);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addCertificate("Apple Distribution: " + teamName, FakeAsc.CertificateType.DISTRIBUTION,
                Instant.now().plus(Duration.ofDays(300)));
        return new Customer(account, teamId, keyId, pair);
    }

    static void upload(TicketDriver.Opened ticket, Customer c) {
        UploadClient.Answer answer = browser.upload(driver.uploadLink(ticket), "AuthKey_" + c.keyId() + ".p8",
                TestKeys.p8Pem(c.pair()).getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void an_upload_is_verified_at_once_and_the_channel_sees_the_outcome() {
        Customer c = customer("Verified Co");
        c.account().addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
        TicketDriver.Opened ticket = driver.open("Verified Co", "Verified Co", c.teamId(), ISSUER, c.keyId());

        asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofMillis(700)));
        upload(ticket, c);

        driver.update(ticket, "verifying…");
        FakeSlack.Call done = driver.update(ticket, "✅ verified");
        String blocks = done.param("blocks");
        assertThat(blocks).contains("✅ *1. Vendor invited with certificate access* — " + VENDOR,
                "✅ *2. App Manager API key (.p8) handed over* — key AuthKey_" + c.keyId() + ".p8 received and "
                        + "accepted by Apple",
                "✅ *3. Team Name and Team ID*", "✅ *5. Distribution-certificate slot for the vendor* — 1 of 3 in use");
        FakeSlack.Call report = driver.reply(ticket, "verification: ✅ verified");
        assertThat(report.param("text")).contains("✅ Apple accepts the key", "✅ Team — the key belongs to Team ID "
                + c.teamId(), "Apple Distribution: Verified Co");
        assertThat(asc.requests().stream().filter(r -> c.keyId().equals(r.keyId()))).isNotEmpty();
    }

    @Test
    void problems_show_on_their_steps_and_the_thread_says_how_to_fix_them() {
        Customer c = customer("Wrong Team Ltd");
        c.account().revokeKey(c.keyId());
        TicketDriver.Opened ticket = driver.open("Wrong Team Ltd", null, c.teamId(), ISSUER, c.keyId());

        upload(ticket, c);

        FakeSlack.Call done = driver.update(ticket, "❌ 1 problem to fix");
        assertThat(done.param("blocks")).contains("❌ *2. App Manager API key (.p8) handed over* — Apple rejected "
                + "the key");
        assertThat(driver.reply(ticket, "verification: ❌").param("text"))
                .contains("Key ID, Issuer ID and .p8 must belong to the same key");
    }

    @Test
    void editing_the_team_id_verifies_again() {
        Customer c = customer("Edited Ltd");
        TicketDriver.Opened ticket = driver.open("Edited Ltd", null, c.teamId(), ISSUER, c.keyId());
        upload(ticket, c);
        driver.reply(ticket, "verification:");

        requests.submitView("edit_details", ticket.number() + ":0", SlackRequests.form("Edited Ltd", null, "ZZZZZZZZZZ",
                ISSUER, c.keyId()));

        FakeSlack.Call update = driver.update(ticket, "❌ *3. Team Name and Team ID*");
        assertThat(update.param("blocks")).contains("the ticket says Team ID ZZZZZZZZZZ, but the key belongs to Team ID "
                + c.teamId());
    }

    @Test
    void concurrent_verify_now_clicks_run_one_verification() throws Exception {
        Customer c = customer("Clicky Ltd");
        TicketDriver.Opened ticket = driver.open("Clicky Ltd", null, c.teamId(), ISSUER, c.keyId());
        upload(ticket, c);
        driver.reply(ticket, "verification:");
        int startedBefore = started(ticket);
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofMillis(800)));

        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> clicks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clicks.add(pool.submit(() -> {
                go.await();
                return requests.click("ticket_verify", ticket.number(), ticket.ts()).statusCode();
            }));
        }
        go.countDown();
        for (Future<Integer> click : clicks) {
            assertThat(click.get()).isEqualTo(200);
        }
        pool.shutdown();

        slack.await("chat.postEphemeral", 4, call -> call.param("text").contains("already being verified"));
        slack.await("chat.postMessage", 2, call -> ticket.ts().equals(call.param("thread_ts"))
                && call.param("text").contains("verification:"));
        assertThat(started(ticket) - startedBefore).isEqualTo(1);
    }

    @Test
    void when_users_cannot_be_read_the_engineer_confirms_access_by_hand() {
        Customer c = customer("Private Ltd");
        c.account().key(c.keyId()).forbidUsers(true);
        TicketDriver.Opened ticket = driver.open("Private Ltd", null, c.teamId(), ISSUER, c.keyId());
        upload(ticket, c);

        FakeSlack.Call update = driver.update(ticket, "Confirm access granted");
        assertThat(update.param("blocks")).contains("⏳ *1. Vendor invited with certificate access* — could not tell",
                "ticket_confirm_access");

        requests.click("ticket_confirm_access", ticket.number(), ticket.ts());

        FakeSlack.Call confirmed = driver.update(ticket, "confirmed by hand");
        assertThat(confirmed.param("blocks")).contains("✅ *1. Vendor invited with certificate access* — confirmed by "
                + "hand").doesNotContain("ticket_confirm_access");
        driver.reply(ticket, "confirmed that the customer invited the vendor user");
    }

    @Test
    void status_shows_the_latest_verification() {
        Customer c = customer("Status Ltd");
        TicketDriver.Opened ticket = driver.open("Status Ltd", null, c.teamId(), ISSUER, c.keyId());
        upload(ticket, c);
        driver.reply(ticket, "verification:");

        String status = SlackRequests.text(requests.command("status " + ticket.key()));
        assertThat(status).contains("*Verification:*", "problem", "verification:");
    }

    static int started(TicketDriver.Opened ticket) {
        return (int) slack.calls("chat.postMessage").stream().filter(call -> ticket.ts().equals(call.param("thread_ts"))
                && call.param("text").contains("started verifying")).count();
    }
}
