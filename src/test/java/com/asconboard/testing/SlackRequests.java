package com.asconboard.testing;

import com.google.gson.Gson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Sends requests to the bot as Slack does: form-encoded, signed with the app's signing secret. */
public final class SlackRequests {
    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String CHANNEL = "C0CHANNEL01";
    public static final String USER = "U0ENGINEER1";

    private static final Gson GSON = new Gson();
    private static final AtomicLong TRIGGERS = new AtomicLong();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI events;
    private String secret = SIGNING_SECRET;
    private Instant now;

    public SlackRequests(int port) {
        this.events = URI.create("http://127.0.0.1:" + port + "/slack/events");
    }

    /** Signs with another secret from now on, like a forger would. */
    public SlackRequests signingWith(String otherSecret) {
        this.secret = otherSecret;
        return this;
    }

    /** Stamps requests with this time instead of now, like a replay would. */
    public SlackRequests at(Instant timestamp) {
        this.now = timestamp;
        return this;
    }

    public HttpResponse<String> command(String text) {
        return command(text, USER, CHANNEL);
    }

    public HttpResponse<String> command(String text, String userId, String channelId) {
        return post(commandBody(text, userId, channelId));
    }

    /** The form body of a slash command, unsigned. */
    public static String commandBody(String text, String userId, String channelId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "legacy-verification-token");
        form.put("team_id", FakeSlack.TEAM_ID);
        form.put("team_domain", "asc-test");
        form.put("channel_id", channelId);
        form.put("channel_name", "onboarding");
        form.put("user_id", userId);
        form.put("user_name", "engineer");
        form.put("command", "/asc-onboard");
        form.put("text", text);
        form.put("api_app_id", "A0APP00001");
        form.put("response_url", "https://hooks.slack.invalid/commands/1/2/3");
        form.put("trigger_id", nextTrigger());
        return encode(form);
    }

    /** The onboarding form's values by block id; null leaves an input empty. */
    public static Map<String, String> form(String customer, String teamName, String teamId, String issuerId,
            String keyId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("customer", customer);
        values.put("team_name", teamName);
        values.put("team_id", teamId);
        values.put("issuer_id", issuerId);
        values.put("key_id", keyId);
        return values;
    }

    /** Submits a modal with the given input values (block id → text; null leaves the input empty). */
    public HttpResponse<String> submitView(String callbackId, String privateMetadata, Map<String, String> values,
            String userId) {
        return post(viewSubmissionBody(callbackId, privateMetadata, values, userId));
    }

    /** The form body of a modal submission, unsigned. */
    public static String viewSubmissionBody(String callbackId, String privateMetadata, Map<String, String> values,
            String userId) {
        return encode(Map.of("payload", GSON.toJson(viewSubmissionPayload(callbackId, privateMetadata, values,
                userId))));
    }

    /** A modal submission's payload as Slack sends it, for tests that alter it. */
    public static Map<String, Object> viewSubmissionPayload(String callbackId, String privateMetadata,
            Map<String, String> values, String userId) {
        Map<String, Object> state = new LinkedHashMap<>();
        values.forEach((block, value) -> {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("type", "plain_text_input");
            input.put("value", value);
            state.put(block, Map.of("value", input));
        });
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", "V0VIEW0001");
        view.put("team_id", FakeSlack.TEAM_ID);
        view.put("type", "modal");
        view.put("callback_id", callbackId);
        view.put("private_metadata", privateMetadata);
        view.put("state", Map.of("values", state));
        view.put("app_id", "A0APP00001");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "view_submission");
        payload.put("team", Map.of("id", FakeSlack.TEAM_ID, "domain", "asc-test"));
        payload.put("user", Map.of("id", userId, "team_id", FakeSlack.TEAM_ID, "name", "engineer"));
        payload.put("api_app_id", "A0APP00001");
        payload.put("token", "legacy-verification-token");
        payload.put("trigger_id", nextTrigger());
        payload.put("view", view);
        return payload;
    }

    public HttpResponse<String> submitView(String callbackId, String privateMetadata, Map<String, String> values) {
        return submitView(callbackId, privateMetadata, values, USER);
    }

    /**
     * Submits a modal whose inputs are not all text: {@code state} maps block id → the input's value object as
     * Slack sends it under the action id {@code value} (e.g. {@code {"type":"checkboxes","selected_options":[…]}}).
     */
    public HttpResponse<String> submitViewState(String callbackId, String privateMetadata,
            Map<String, Map<String, Object>> state, String userId) {
        Map<String, Object> payload = viewSubmissionPayload(callbackId, privateMetadata, Map.of(), userId);
        @SuppressWarnings("unchecked")
        Map<String, Object> view = (Map<String, Object>) payload.get("view");
        Map<String, Object> values = new LinkedHashMap<>();
        state.forEach((block, input) -> values.put(block, input));
        view.put("state", Map.of("values", values));
        return post(encode(Map.of("payload", GSON.toJson(payload))));
    }

    /** Slack's event that {@code userId} opened the bot's Home tab, as the Events API posts it (JSON). */
    public HttpResponse<String> appHomeOpened(String userId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "app_home_opened");
        event.put("user", userId);
        event.put("channel", "D0HOME" + userId.substring(Math.max(0, userId.length() - 4)));
        event.put("tab", "home");
        event.put("event_ts", "1700000000.000100");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", "legacy-verification-token");
        body.put("team_id", FakeSlack.TEAM_ID);
        body.put("api_app_id", "A0APP00001");
        body.put("event", event);
        body.put("type", "event_callback");
        body.put("event_id", "Ev0HOME" + TRIGGERS.incrementAndGet());
        body.put("event_time", 1_700_000_000);
        body.put("authorizations", List.of(Map.of("enterprise_id", "", "team_id", FakeSlack.TEAM_ID, "user_id",
                FakeSlack.BOT_USER_ID, "is_bot", true, "is_enterprise_install", false)));
        body.put("is_ext_shared_channel", false);
        return postBytes(GSON.toJson(body).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Clicks a button of a message in {@code channelId}. */
    public HttpResponse<String> click(String actionId, String value, String messageTs, String userId,
            String channelId) {
        return post(clickBody(actionId, value, messageTs, userId, channelId));
    }

    /** The form body of a button click on a message, unsigned. */
    public static String clickBody(String actionId, String value, String messageTs, String userId,
            String channelId) {
        return encode(Map.of("payload", GSON.toJson(clickPayload(actionId, value, messageTs, userId, channelId))));
    }

    /** A button click's payload as Slack sends it, for tests that alter it. */
    public static Map<String, Object> clickPayload(String actionId, String value, String messageTs, String userId,
            String channelId) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("action_id", actionId);
        action.put("block_id", "ticket_actions");
        action.put("type", "button");
        action.put("value", value);
        action.put("action_ts", "1700000000.000001");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "block_actions");
        payload.put("team", Map.of("id", FakeSlack.TEAM_ID, "domain", "asc-test"));
        payload.put("user", Map.of("id", userId, "team_id", FakeSlack.TEAM_ID, "name", "engineer"));
        payload.put("api_app_id", "A0APP00001");
        payload.put("token", "legacy-verification-token");
        payload.put("trigger_id", nextTrigger());
        payload.put("channel", Map.of("id", channelId, "name", "onboarding"));
        payload.put("container", Map.of("type", "message", "message_ts", messageTs, "channel_id", channelId));
        payload.put("message", Map.of("ts", messageTs, "type", "message"));
        payload.put("response_url", "https://hooks.slack.invalid/actions/1/2/3");
        payload.put("actions", List.of(action));
        return payload;
    }

    public HttpResponse<String> click(String actionId, String value, String messageTs) {
        return click(actionId, value, messageTs, USER, CHANNEL);
    }

    /** Posts an interactivity payload as Slack does ({@code payload=<json>}), whatever the JSON says. */
    public HttpResponse<String> postPayload(String json) {
        return post(encode(Map.of("payload", json)));
    }

    /** Posts a signed form built from {@code fields}, for commands with fields missing or odd. */
    public HttpResponse<String> postForm(Map<String, String> fields) {
        return post(encode(fields));
    }

    /** Posts raw bytes, signed over exactly those bytes, with the given Content-Type. */
    public HttpResponse<String> postBytes(byte[] body, String contentType) {
        long timestamp = (now == null ? Instant.now() : now).getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", sign(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return send(request);
    }

    /** Posts a raw, signed body. */
    public HttpResponse<String> post(String body) {
        long timestamp = (now == null ? Instant.now() : now).getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", sign(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to the bot failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The text of an ephemeral answer carried in the ack. */
    public static String text(HttpResponse<String> response) {
        var json = com.google.gson.JsonParser.parseString(response.body()).getAsJsonObject();
        return json.has("text") ? json.get("text").getAsString() : "";
    }

    public static String responseType(HttpResponse<String> response) {
        var json = com.google.gson.JsonParser.parseString(response.body()).getAsJsonObject();
        return json.has("response_type") ? json.get("response_type").getAsString() : null;
    }

    public static String sign(String secret, long timestamp, String body) {
        return sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(body);
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8));
        });
        return body.toString();
    }

    private static String nextTrigger() {
        return "1337." + TRIGGERS.incrementAndGet() + ".abcdef";
    }
}
