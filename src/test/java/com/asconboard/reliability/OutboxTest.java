package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When Slack fails, what users should see is delayed, never lost, and arrives in order. */
class OutboxTest {
    @TempDir
    Path dir;
    FakeSlack slack;
    Map<String, String> env;
    AscOnboard bot;
    SlackRequests requests;
    TicketDriver driver;

    @BeforeEach
    void start() {
        slack = new FakeSlack();
        env = TestBot.environment(slack, dir);
        startBot();
    }

    void startBot() {
        bot = TestBot.start(env, Clock.systemUTC());
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        slack.close();
    }

    /** Edits made one after another, each from the form as the previous edit left it. */
    int edits;

    void edit(TicketDriver.Opened ticket, String teamName) {
        requests.submitView("edit_details", ticket.number() + ":" + edits++, SlackRequests.form("Outage Ltd", teamName,
                "A1B2C3D4E5", null, null));
    }

    @Test
    void updates_that_slack_refuses_are_retried_and_delivered_in_order() throws Exception {
        TicketDriver.Opened ticket = driver.open("Outage Ltd", null, null, null, null);
        slack.failNextHttp("chat.update", 500, null);
        slack.failNextHttp("chat.update", 503, null);

        edit(ticket, "First Name");
        edit(ticket, "Second Name");

        driver.update(ticket, "Team Name Second Name");
        driver.reply(ticket, "Second Name");
        List<String> replies = slack.calls("chat.postMessage").stream()
                .filter(c -> ticket.ts().equals(c.param("thread_ts"))).map(c -> c.param("text")).toList();
        int first = indexOf(replies, "First Name");
        int second = indexOf(replies, "Second Name");
        assertThat(first).isGreaterThanOrEqualTo(0).isLessThan(second);
        assertThat(slack.calls("chat.update").size()).as("the two failed attempts, then success").isGreaterThanOrEqualTo(3);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bot.undelivered() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(bot.undelivered()).as("the outbox drained").isZero();
    }

    @Test
    void rate_limiting_is_waited_out_as_slack_asks() {
        TicketDriver.Opened ticket = driver.open("Outage Ltd", null, null, null, null);
        slack.failNextHttp("chat.update", 429, 1);
        slack.failNext("chat.postMessage", "ratelimited");
        long before = System.nanoTime();

        edit(ticket, "Patient Name");

        driver.update(ticket, "Team Name Patient Name");
        driver.reply(ticket, "Patient Name");
        assertThat(System.nanoTime() - before).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void what_was_not_delivered_before_a_restart_is_delivered_after_it() throws Exception {
        for (int i = 0; i < 5; i++) {
            slack.failNextHttp("chat.postMessage", 500, null);
        }
        requests.submitView("new_onboarding", SlackRequests.CHANNEL, SlackRequests.form("Restart Ltd", null, null,
                null, null));
        slack.await("chat.postMessage", 1, c -> c.param("text") != null && c.param("text").contains("Restart Ltd"));
        bot.close();
        slack.reset();

        startBot();

        slack.await("chat.postMessage", c -> c.param("thread_ts") == null && c.param("text").contains("Restart Ltd"));
        slack.await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("opened ASC-1 for Restart Ltd"));
    }

    @Test
    void a_verification_a_crash_left_running_is_run_again_after_restart() throws Exception {
        TicketDriver.Opened ticket = driver.open("Crashed Ltd", null, null, null, null);
        bot.close();
        try (var c = DriverManager.getConnection(env.get("DATABASE_URL"))) {
            c.createStatement().execute("UPDATE tickets SET verification_state = 'RUNNING' WHERE id = "
                    + ticket.number());
        }

        startBot();

        // It has no key, so the verification cannot succeed, but it finishes and says why.
        driver.reply(ticket, "verification: ❔ could not finish");
        driver.update(ticket, "could not finish");
    }

    static int indexOf(List<String> texts, String part) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
