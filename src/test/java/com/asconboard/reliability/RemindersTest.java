package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TestDatabases;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reminders on PostgreSQL, with two instances sharing one clock: a ticket waiting on the customer is reminded
 * once per wait, mentioning its owner, whichever instances look and however often they restart.
 */
class RemindersTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String VENDOR = "builds@vendor.example";
    static final String NEW_OWNER = "U0NEWOWNER1";

    @TempDir
    Path dir;
    MutableClock clock;
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
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        slack = new FakeSlack();
        asc = new FakeAsc(clock);
        a = TestBot.start(env("instance-a"), clock);
        b = TestBot.start(env("instance-b"), clock);
        toA = new SlackRequests(a.port());
        toB = new SlackRequests(b.port());
        viaA = new TicketDriver(slack, toA);
    }

    Map<String, String> env(String instance) {
        Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
        env.put("DATABASE_URL", databaseUrl);
        env.put("ASC_API_URL", asc.url());
        env.put("INSTANCE_ID", instance);
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        return env;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable started : new AutoCloseable[] {a, b, asc, slack}) {
            if (started != null) {
                started.close();
            }
        }
    }

    long reminders(TicketDriver.Opened ticket) {
        return slack.calls("chat.postMessage").stream().filter(c -> ticket.ts().equals(c.param("thread_ts"))
                && c.param("text").contains("reminder:")).count();
    }

    /** Both instances run their housekeeping at the same moment. */
    void bothLook() {
        CompletableFuture.allOf(CompletableFuture.runAsync(a::housekeepOnce), CompletableFuture.runAsync(b::housekeepOnce))
                .join();
    }

    void settle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((a.undelivered() > 0 || b.undelivered() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void an_unused_link_is_reminded_once_mentioning_the_owner_across_two_instances_and_a_restart() throws Exception {
        TicketDriver.Opened ticket = viaA.open("Quiet Customer Ltd", null, null, null, null);
        viaA.uploadLink(ticket);
        // Edit details through the other instance makes another engineer the owner.
        Map<String, Map<String, Object>> form = Map.of(
                "customer", Map.of("value", Map.of("type", "plain_text_input", "value", "Quiet Customer Ltd")),
                "owner", Map.of("value", Map.of("type", "users_select", "selected_user", NEW_OWNER)));
        toB.submitViewState("edit_details", ticket.number() + ":0", form, SlackRequests.USER);
        assertThat(viaA.reply(ticket, "the ticket's owner").param("text"))
                .isEqualTo("<@" + SlackRequests.USER + "> made <@" + NEW_OWNER + "> the ticket's owner");
        assertThat(SlackRequests.text(toA.command("list"))).contains("owner <@" + NEW_OWNER + ">");

        clock.advance(Duration.ofHours(47));
        bothLook();
        settle();
        assertThat(reminders(ticket)).as("not yet a day before the link expires").isZero();

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        bothLook();
        FakeSlack.Call reminder = viaA.reply(ticket, "reminder:");
        assertThat(reminder.param("text")).startsWith(":alarm_clock: <@" + NEW_OWNER + "> reminder: the customer has "
                + "not used the upload link").contains("send a new Upload link");
        bothLook();
        settle();
        assertThat(reminders(ticket)).isOne();

        a.close();
        a = TestBot.start(env("instance-a2"), clock);
        clock.advance(Duration.ofHours(6));
        bothLook();
        settle();
        assertThat(reminders(ticket)).as("no second reminder after a restart").isOne();
    }

    @Test
    void a_pending_vendor_invitation_is_reminded_a_day_before_it_expires() throws Exception {
        FakeAsc.Account account = asc.addAccount("INVITE0001", "Invited Co");
        KeyPair pair = TestKeys.ecP256();
        account.addKey("IKEY000001", ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        Instant expires = clock.instant().plus(Duration.ofDays(3));
        account.addInvitation(VENDOR, List.of(FakeAsc.Role.DEVELOPER, FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION),
                true, expires);
        TicketDriver.Opened ticket = viaA.open("Invited Co", "Invited Co", "INVITE0001", ISSUER, "IKEY000001");
        assertThat(browser.upload(viaA.uploadLink(ticket), "AuthKey_IKEY000001.p8",
                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        viaA.reply(ticket, "is invited but has not accepted yet");

        clock.advance(Duration.ofHours(47));
        bothLook();
        settle();
        assertThat(reminders(ticket)).isZero();

        clock.advance(Duration.ofHours(2));
        bothLook();
        FakeSlack.Call reminder = viaA.reply(ticket, "reminder:");
        assertThat(reminder.param("text")).contains("<@" + SlackRequests.USER + "> reminder: the App Store Connect "
                + "invitation to " + VENDOR + " is not accepted yet", "Accept it");
        bothLook();
        settle();
        assertThat(reminders(ticket)).isOne();
    }
}
