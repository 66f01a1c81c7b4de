package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slack's signature and timestamp are checked before a request does anything, in both directions of time. */
class SlackSignatureTest {
    @TempDir
    static Path dir;
    static FakeSlack slack;
    static AscOnboard bot;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        bot = TestBot.start(slack, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
    }

    static HttpResponse<String> helpAt(Instant timestamp) {
        return new SlackRequests(bot.port()).at(timestamp).command("help");
    }

    @Test
    void a_request_dated_more_than_five_minutes_ahead_is_refused_with_401() {
        HttpResponse<String> answer = helpAt(Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"invalid request\"}");
        assertThat(helpAt(Instant.now().plus(Duration.ofDays(3650))).statusCode()).isEqualTo(401);
    }

    @Test
    void a_request_dated_more_than_five_minutes_ago_is_refused_with_401() {
        assertThat(helpAt(Instant.now().minus(Duration.ofMinutes(6))).statusCode()).isEqualTo(401);
    }

    @Test
    void a_clock_a_minute_or_two_off_either_way_is_tolerated() {
        assertThat(helpAt(Instant.now().plus(Duration.ofMinutes(2))).statusCode()).isEqualTo(200);
        assertThat(helpAt(Instant.now().minus(Duration.ofMinutes(2))).statusCode()).isEqualTo(200);
    }

    @Test
    void a_forged_signature_is_refused_with_401() {
        assertThat(new SlackRequests(bot.port()).signingWith("not-the-secret").command("help").statusCode())
                .isEqualTo(401);
    }

    @Test
    void the_signature_covers_the_exact_bytes_sent() {
        SlackSignature signature = new SlackSignature(SlackRequests.SIGNING_SECRET);
        byte[] body = "command=%2Fasc-onboard&text=h\u00e9lp".getBytes(StandardCharsets.UTF_8);
        String signed = SlackRequests.sign(SlackRequests.SIGNING_SECRET, 1_700_000_000L, body);
        assertThat(signature.matches("1700000000", body, body.length, signed)).isTrue();
        assertThat(signature.matches("1700000001", body, body.length, signed)).isFalse();
        assertThat(signature.matches("1700000000", body, body.length - 1, signed)).isFalse();
        assertThat(signature.matches("1700000000", body, body.length, signed.toUpperCase())).isFalse();
    }

    @Test
    void headers_are_checked_before_the_body_is_read() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        String signature = "v0=" + "a".repeat(64);
        assertThat(SlackSignature.hasCurrentHeaders("1700000000", signature, now)).isTrue();
        assertThat(SlackSignature.hasCurrentHeaders("1700000300", signature, now)).isTrue();
        assertThat(SlackSignature.hasCurrentHeaders("1700000301", signature, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("1699999699", signature, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders(null, signature, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("1700000000", null, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("17e8", signature, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("-1700000000", signature, now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("1700000000", "v1=" + "a".repeat(64), now)).isFalse();
        assertThat(SlackSignature.hasCurrentHeaders("1700000000", "v0=" + "a".repeat(63), now)).isFalse();
    }
}
