package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {
    static final String OTHER_USER = "U0STRANGER1";
    static final String OTHER_CHANNEL = "C0ELSEWHERE";

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static AscOnboard bot;
    static SlackRequests requests;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("ALLOWED_USERS", SlackRequests.USER + ", U0SECOND001");
        env.put("ALLOWED_CHANNELS", SlackRequests.CHANNEL);
        bot = TestBot.start(env, Clock.systemUTC());
        requests = new SlackRequests(bot.port());
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
    }

    @BeforeEach
    void clearCalls() {
        slack.reset();
    }

    @Test
    void a_user_not_allowed_gets_a_polite_refusal_and_nothing_happens() {
        HttpResponse<String> response = requests.command("", OTHER_USER, SlackRequests.CHANNEL);

        assertThat(SlackRequests.responseType(response)).isEqualTo("ephemeral");
        assertThat(SlackRequests.text(response)).contains("Sorry", "not enabled for you here");
        slack.assertNoCall("views.open", Duration.ofMillis(300));
    }

    @Test
    void an_allowed_user_in_a_channel_not_allowed_is_refused_too() {
        HttpResponse<String> response = requests.command("list", SlackRequests.USER, OTHER_CHANNEL);
        assertThat(SlackRequests.text(response)).contains("not enabled for you here");
    }

    @Test
    void an_allowed_user_in_an_allowed_channel_is_served() {
        requests.command("", SlackRequests.USER, SlackRequests.CHANNEL);
        assertThat(slack.await("views.open").param("view")).contains("new_onboarding");
    }

    @Test
    void a_form_submitted_by_someone_not_allowed_creates_nothing() {
        HttpResponse<String> response = requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Acme", null, null, null, null), OTHER_USER);

        assertThat(response.body()).contains("response_action", "not enabled for you here");
        slack.assertNoCall("chat.postMessage", Duration.ofMillis(300));
    }

    @Test
    void a_button_clicked_by_someone_not_allowed_is_refused_ephemerally() {
        requests.submitView("new_onboarding", SlackRequests.CHANNEL, SlackRequests.form("Acme", null, null, null,
                null));
        FakeSlack.Call status = slack.await("chat.postMessage", c -> c.param("thread_ts") == null);
        String number = status.param("text").replaceAll("^ASC-(\\d+).*", "$1");
        slack.reset();

        requests.click("ticket_close", number, "1.1", OTHER_USER, SlackRequests.CHANNEL);

        FakeSlack.Call refusal = slack.await("chat.postEphemeral");
        assertThat(refusal.param("user")).isEqualTo(OTHER_USER);
        assertThat(refusal.param("text")).contains("not enabled for you here");
        slack.assertNoCall("chat.update", Duration.ofMillis(300));
    }
}
