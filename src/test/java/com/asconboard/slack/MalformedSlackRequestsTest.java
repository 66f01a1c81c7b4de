package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TicketDriver;
import com.google.gson.Gson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Correctly signed requests that are not what Slack sends: each is refused (4xx) or answered without
 * anything happening, never with a 500 or a stack trace, and the bot answers normally afterwards.
 */
class MalformedSlackRequestsTest {
    static final Gson GSON = new Gson();
    /** What only Slack's own clients can make happen: a real request never causes these for a bad one. */
    static final List<String> EFFECTS = List.of("chat.postMessage", "chat.update", "views.open", "conversations.join");

    @RegisterExtension
    static final RunningBot app = new RunningBot().onSystemClock();

    @BeforeEach
    void clearCalls() {
        app.slack().reset();
    }

    @AfterEach
    void botStillAnswers() {
        HttpResponse<String> help = app.requests().command("help");
        assertThat(help.statusCode()).isEqualTo(200);
        assertThat(SlackRequests.text(help)).contains("/asc-onboard list");
    }

    // ---- payloads

    static Map<String, Object> blockActions(String actionId, String value) {
        return SlackRequests.clickPayload(actionId, value, "1700000000.000100", SlackRequests.USER,
                SlackRequests.CHANNEL);
    }

    static Map<String, Object> viewSubmission(String callbackId) {
        return viewSubmission(callbackId, "Malformed Ltd");
    }

    static Map<String, Object> viewSubmission(String callbackId, String customer) {
        return SlackRequests.viewSubmissionPayload(callbackId, SlackRequests.CHANNEL,
                SlackRequests.form(customer, null, null, null, null), SlackRequests.USER);
    }

    static String without(Map<String, Object> payload, String member) {
        Map<String, Object> copy = new LinkedHashMap<>(payload);
        copy.remove(member);
        return GSON.toJson(copy);
    }

    static String with(Map<String, Object> payload, String member, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(payload);
        copy.put(member, value);
        return GSON.toJson(copy);
    }

    // ---- checks

    /** A refusal or a polite answer: no server error, nothing of the server's insides in the body. */
    static void assertHandled(String what, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isBetween(200, 499);
        assertThat(response.body()).as(what).doesNotContain("Exception", "\tat ", "at com.", "at org.", "at java.",
                "jetty", "<html");
    }

    static void assertNothingHappened(String... alsoForbidden) {
        List<String> forbidden = new java.util.ArrayList<>(EFFECTS);
        forbidden.addAll(Arrays.asList(alsoForbidden));
        // Work runs after the ack: give it the time a real answer takes to show, then look.
        app.slack().assertNoCall("chat.postMessage", Duration.ofMillis(300));
        assertThat(app.slack().calls()).as(app.slack().describe()).noneMatch(c -> forbidden.contains(c.method()));
    }

    // ---- tests

    @Test
    void payloads_the_parser_cannot_read_are_refused_with_400() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("bad JSON", "{\"type\":\"block_actions\",");
        cases.put("JSON array", "[1,2,3]");
        cases.put("JSON string", "\"block_actions\"");
        cases.put("type is an object", "{\"type\":{\"name\":\"block_actions\"}}");
        cases.put("no type", GSON.toJson(Map.of("user", Map.of("id", SlackRequests.USER))));
        cases.put("unknown type", with(blockActions("ticket_close", "1"), "type", "no_such_type"));
        cases.put("deeply nested", "{\"type\":\"block_actions\",\"user\":" + "[".repeat(100_000));
        cases.put("block_actions without user", without(blockActions("ticket_close", "1"), "user"));
        cases.put("view_submission without view", without(viewSubmission("new_onboarding"), "view"));
        cases.put("view_submission without user", without(viewSubmission("new_onboarding"), "user"));
        cases.put("view_submission, view without type", with(viewSubmission("new_onboarding"), "view",
                Map.of("callback_id", "new_onboarding")));
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = app.requests().postPayload(c.getValue());
            assertHandled(c.getKey(), response);
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
        }
        assertHandled("empty body", app.requests().post(""));
        assertHandled("form without payload", app.requests().post("payload"));
        assertNothingHappened("chat.postEphemeral");
    }

    @Test
    void payloads_no_listener_handles_are_refused() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("no actions", without(blockActions("ticket_close", "1"), "actions"));
        cases.put("empty actions", with(blockActions("ticket_close", "1"), "actions", List.of()));
        cases.put("unknown action_id", GSON.toJson(blockActions("ticket_explode", "1")));
        cases.put("unknown callback_id", GSON.toJson(viewSubmission("no_such_form")));
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = app.requests().postPayload(c.getValue());
            assertHandled(c.getKey(), response);
            assertThat(response.statusCode()).as(c.getKey()).isBetween(400, 499);
        }
        assertNothingHappened("chat.postEphemeral");
    }

    @Test
    void button_values_that_name_no_ticket_change_nothing() {
        TicketDriver.Opened ticket = app.driver().open("Untouched Ltd", null, null, null, null);
        app.slack().reset();
        List<String> values = Arrays.asList("abc", "99999999999999999999999999", "-5", "ASC-" + ticket.number() + "x",
                "ASC-999999999", "", null);
        List<String> actions = List.of("ticket_close", "ticket_upload_link", "ticket_verify", "ticket_edit",
                "ticket_confirm_access");
        for (String action : actions) {
            for (String value : values) {
                assertHandled(action + " " + value,
                        app.requests().postPayload(GSON.toJson(blockActions(action, value))));
            }
        }
        // Each click is answered with an apology to the one who clicked, naming no internals; nothing else.
        int clicks = actions.size() * values.size();
        assertThat(app.slack().await("chat.postEphemeral", clicks, c -> true)).hasSize(clicks).allSatisfy(c -> {
            assertThat(c.param("user")).isEqualTo(SlackRequests.USER);
            assertThat(c.param("text")).startsWith("Sorry, I could not").doesNotContain("Exception", "/upload/");
        });
        assertNothingHappened();
        assertThat(SlackRequests.text(app.requests().command("status " + ticket.key()))).contains("— onboarding")
                .doesNotContain("upload link");
    }

    @Test
    void requests_that_name_no_user_act_for_nobody() {
        TicketDriver.Opened ticket = app.driver().open("Nobody Ltd", null, null, null, null);
        app.slack().reset();

        assertHandled("click, user without id", app.requests().postPayload(with(blockActions("ticket_close",
                ticket.number()), "user", Map.of("team_id", FakeSlack.TEAM_ID))));
        assertHandled("form, user without id", app.requests().postPayload(with(viewSubmission("new_onboarding",
                "Ghost Ltd"), "user", Map.of("team_id", FakeSlack.TEAM_ID))));
        Map<String, String> command = new LinkedHashMap<>();
        command.put("command", "/asc-onboard");
        command.put("text", "new");
        command.put("trigger_id", "1337.98.abcdef");
        assertHandled("command without user, channel or team", app.requests().postForm(command));

        assertNothingHappened("chat.postEphemeral");
        assertThat(SlackRequests.text(app.requests().command("status " + ticket.key()))).contains("— onboarding");
        assertThat(SlackRequests.text(app.requests().command("list"))).doesNotContain("Ghost Ltd");
    }

    @Test
    void a_workspace_missing_from_a_payload_is_the_bots_own() {
        // Bolt fills the team in from the installation: this single-workspace bot knows it.
        assertHandled("form without team", app.requests().postPayload(without(viewSubmission("new_onboarding",
                "Teamless Ltd"), "team")));
        app.slack().await("chat.postMessage", c -> c.param("text").contains("opened") && c.param("text")
                .contains("Teamless Ltd"));
        assertThat(SlackRequests.text(app.requests().command("list"))).contains("Teamless Ltd");
    }

    @Test
    void a_body_of_several_megabytes_is_refused_with_413() throws Exception {
        byte[] big = ("command=%2Fasc-onboard&user_id=" + SlackRequests.USER + "&text=" + "a".repeat(5 << 20))
                .getBytes(StandardCharsets.US_ASCII);
        long timestamp = Instant.now().getEpochSecond();
        String signature = SlackRequests.sign(SlackRequests.SIGNING_SECRET, timestamp, big);

        // Announced by Content-Length: refused on the header, before the body is read. Only the head is sent, so
        // the answer cannot be lost to a connection reset over unread bytes.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", app.bot().port()), 5_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + big.length + "\r\n"
                    + "X-Slack-Request-Timestamp: " + timestamp + "\r\nX-Slack-Signature: " + signature + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("Exception", "\tat ");
        }

        // Streamed without a length: the cap holds while reading.
        HttpRequest chunked = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + app.bot().port() + "/slack/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> streamed = null;
        try {
            streamed = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The server answered and closed while the client was still sending: refused all the same.
        }
        if (streamed != null) {
            assertHandled("5 MiB chunked", streamed);
            assertThat(streamed.statusCode()).isEqualTo(413);
        }
        assertNothingHappened("chat.postEphemeral");
    }

    @Test
    void a_command_with_ten_thousand_characters_is_answered_briefly() {
        HttpResponse<String> word = app.requests().command("x".repeat(10_000));
        assertHandled("long word", word);
        assertThat(SlackRequests.text(word)).startsWith("I don't know `" + "x".repeat(40) + "…`").hasSizeLessThan(1_000);

        HttpResponse<String> status = app.requests().command("status " + "9".repeat(10_000));
        assertHandled("long status", status);
        assertThat(SlackRequests.text(status)).contains("is not a ticket number").hasSizeLessThan(1_000);

        HttpResponse<String> spaces = app.requests().command("list" + " ".repeat(5_000) + "x".repeat(5_000));
        assertHandled("long list", spaces);
        assertNothingHappened("chat.postEphemeral");
    }

    @Test
    void bytes_that_are_not_utf8_are_refused_or_ignored() {
        byte[] raw = {'c', 'o', 'm', 'm', 'a', 'n', 'd', '=', '%', '2', 'F', 'a', 's', 'c', '-', 'o', 'n', 'b', 'o',
                'a', 'r', 'd', '&', 't', 'e', 'x', 't', '=', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28};
        assertHandled("raw invalid UTF-8", app.requests().postBytes(raw, "application/x-www-form-urlencoded"));
        assertHandled("raw invalid UTF-8 as payload", app.requests().postBytes(("payload=" + new String(raw,
                StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1), "application/x-www-form-urlencoded"));

        HttpResponse<String> escaped = app.requests().command("%FF%FE\uFFFF\uD800x");
        assertHandled("escaped invalid UTF-8", escaped);
        HttpResponse<String> encodedBytes = app.requests().post("command=%2Fasc-onboard&user_id=" + SlackRequests.USER
                + "&channel_id=" + SlackRequests.CHANNEL + "&team_id=" + FakeSlack.TEAM_ID + "&text=%FF%FE%C3%28");
        assertHandled("percent-encoded invalid UTF-8", encodedBytes);
        assertThat(encodedBytes.statusCode()).isEqualTo(200);
        assertNothingHappened("chat.postEphemeral");
    }
}
