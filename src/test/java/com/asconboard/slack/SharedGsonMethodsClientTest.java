package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.testing.FakeSlack;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedGsonMethodsClientTest {
    private static FakeSlack slack;
    private static MethodsClient client;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiUrl());
        config.setStatsEnabled(false);
        client = SlackApp.methods(Slack.getInstance(config), FakeSlack.BOT_TOKEN);
    }

    @AfterAll
    static void stop() throws IOException {
        slack.close();
    }

    @BeforeEach
    void clear() {
        slack.reset();
    }

    @Test
    void parsesAnswersOfDifferentMethodsWithTheTokenSent() throws Exception {
        for (int i = 0; i < 3; i++) {
            ChatPostMessageResponse posted = client.chatPostMessage(r -> r.channel("C0CHANNEL1").text("hello"));
            assertThat(posted.isOk()).isTrue();
            assertThat(posted.getTs()).matches("\\d+\\.\\d{6}");
            assertThat(posted.getChannel()).isEqualTo("C0CHANNEL1");
            assertThat(posted.getHttpResponseHeaders()).containsKey("content-type");

            ChatUpdateResponse updated = client.chatUpdate(r -> r.channel("C0CHANNEL1").ts(posted.getTs()).text("hi"));
            assertThat(updated.isOk()).isTrue();
            assertThat(updated.getTs()).isEqualTo(posted.getTs());
        }
        assertThat(slack.calls("chat.postMessage")).hasSize(3)
                .allSatisfy(call -> assertThat(call.param("token")).isEqualTo(FakeSlack.BOT_TOKEN));
    }

    @Test
    void slackErrorsAreAnswersNotExceptions() throws Exception {
        slack.failNext("chat.postMessage", "channel_not_found");

        ChatPostMessageResponse answer = client.chatPostMessage(r -> r.channel("C0GONE0001").text("hello"));

        assertThat(answer.isOk()).isFalse();
        assertThat(answer.getError()).isEqualTo("channel_not_found");
    }

    @Test
    void httpErrorsCarryTheStatusAndRetryAfterLikeTheSdk() {
        slack.failNextHttp("chat.update", 429, 7);

        assertThatThrownBy(() -> client.chatUpdate(r -> r.channel("C0CHANNEL1").ts("1.000001").text("x")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.getResponse().code()).isEqualTo(429);
                    assertThat(e.getResponse().header("Retry-After")).isEqualTo("7");
                    assertThat(e.getError().getError()).isEqualTo("ratelimited");
                });
    }

    @Test
    void aBodyThatIsNotJsonIsANamedIoFailure() {
        slack.answerNextRaw("chat.postMessage", "<html>gateway hiccup</html>");

        assertThatThrownBy(() -> client.chatPostMessage(r -> r.channel("C0CHANNEL1").text("hello")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chat.postMessage")
                .hasMessageContaining("not JSON");
    }

    @Test
    void anEmptyBodyIsANamedIoFailure() {
        slack.answerNextRaw("chat.postMessage", "");

        assertThatThrownBy(() -> client.chatPostMessage(r -> r.channel("C0CHANNEL1").text("hello")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("empty body");
    }
}
