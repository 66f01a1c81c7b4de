package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.SlackRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessControlTest {
    static final String OTHER_USER = "U0STRANGER1";
    static final String OTHER_CHANNEL = "C0ELSEWHERE";

    @RegisterExtension
    static final RunningBot app = new RunningBot().onSystemClock().with(env -> {
        env.put("ALLOWED_USERS", SlackRequests.USER + ", U0SECOND001");
        env.put("ALLOWED_CHANNELS", SlackRequests.CHANNEL);
    });

    @BeforeEach
    void clearCalls() {
        app.slack().reset();
    }

    @Test
    void a_user_not_allowed_gets_a_polite_refusal_and_nothing_happens() {
        HttpResponse<String> response = app.requests().command("", OTHER_USER, SlackRequests.CHANNEL);

        assertThat(SlackRequests.responseType(response)).isEqualTo("ephemeral");
        assertThat(SlackRequests.text(response)).contains("Sorry", "not enabled for you here");
        app.slack().assertNoCall("views.open", Duration.ofMillis(300));
    }

    @Test
    void an_allowed_user_in_a_channel_not_allowed_is_refused_too() {
        HttpResponse<String> response = app.requests().command("list", SlackRequests.USER, OTHER_CHANNEL);
        assertThat(SlackRequests.text(response)).contains("not enabled for you here");
    }

    @Test
    void an_allowed_user_in_an_allowed_channel_is_served() {
        app.requests().command("", SlackRequests.USER, SlackRequests.CHANNEL);
        assertThat(app.slack().await("views.open").param("view")).contains("new_onboarding");
    }

    @Test
    void a_form_submitted_by_someone_not_allowed_creates_nothing() {
        HttpResponse<String> response = app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Acme", null, null, null, null), OTHER_USER);

        assertThat(response.body()).contains("response_action", "not enabled for you here");
        app.slack().assertNoCall("chat.postMessage", Duration.ofMillis(300));
    }

    @Test
    void a_button_clicked_by_someone_not_allowed_is_refused_ephemerally() {
        app.requests().submitView("new_onboarding", SlackRequests.CHANNEL, SlackRequests.form("Acme", null, null, null,
                null));
        FakeSlack.Call status = app.slack().await("chat.postMessage", c -> c.param("thread_ts") == null);
        String number = status.param("text").replaceAll("^ASC-(\\d+).*", "$1");
        app.slack().reset();

        app.requests().click("ticket_close", number, "1.1", OTHER_USER, SlackRequests.CHANNEL);

        FakeSlack.Call refusal = app.slack().await("chat.postEphemeral");
        assertThat(refusal.param("user")).isEqualTo(OTHER_USER);
        assertThat(refusal.param("text")).contains("not enabled for you here");
        app.slack().assertNoCall("chat.update", Duration.ofMillis(300));
    }
}
