package com.asconboard.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The Slack Web API on loopback. Answers the methods the bot uses like Slack does, checks the bot
 * token, and records every call so tests can assert what users would see.
 */
public final class FakeSlack implements AutoCloseable {
    public static final String BOT_TOKEN = "xoxb-test-0000-fake-token";
    public static final String TEAM_ID = "T0TEST0001";
    public static final String BOT_USER_ID = "U0BOT00001";
    /**
     * How long a test waits for what the bot should tell Slack. Generous: on a loaded 2-core machine work
     * after the ack can take seconds; a test that passes never waits longer than the bot takes.
     */
    static final Duration AWAIT = Duration.ofSeconds(30);

    /** One Web API call: the method name and its parameters (form fields or JSON members, as text). */
    public record Call(String method, Map<String, String> params, String rawBody) {
        public String param(String name) {
            return params.get(name);
        }
    }

    private static final Gson GSON = new Gson();
    private static final Gson READABLE = new GsonBuilder().disableHtmlEscaping().create();
    private static final java.util.Set<String> JSON_PARAMS = java.util.Set.of("blocks", "view", "attachments");

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<String>> failures = new ConcurrentHashMap<>();
    private final Map<String, Queue<int[]>> httpFailures = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> rawAnswers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    /** Channel → its members; channels in {@link #privateChannels} are private. */
    private final Map<String, java.util.Set<String>> members = new ConcurrentHashMap<>();
    private final java.util.Set<String> privateChannels = ConcurrentHashMap.newKeySet();
    /** Messages posted, as "channel/ts", for chat.getPermalink. */
    private final java.util.Set<String> posted = ConcurrentHashMap.newKeySet();
    /** The Home view last published for each user. */
    private final Map<String, String> homeViews = new ConcurrentHashMap<>();
    /** The workspace's address, as auth.test and chat.getPermalink give it. */
    public static final String WORKSPACE_URL = "https://asc-test.slack.com/";

    public FakeSlack() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer(request);
            }
        });
        try {
            server.setServerSocketFactory(new NoDelayServerSockets());
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("fake Slack could not start", e);
        }
    }

    /** The base URL to configure as {@code SLACK_API_URL}. */
    public String apiUrl() {
        return server.url("/api/").toString();
    }

    /** The next call of {@code method} answers {@code {"ok":false,"error":error}}. */
    public void failNext(String method, String error) {
        failures.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(error);
    }

    /** The next call of {@code method} answers with HTTP {@code status} (and Retry-After when given). */
    public void failNextHttp(String method, int status, Integer retryAfterSeconds) {
        httpFailures.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>())
                .add(new int[] {status, retryAfterSeconds == null ? -1 : retryAfterSeconds});
    }

    /** The next call of {@code method} answers HTTP 200 with exactly {@code body}, JSON or not. */
    public void answerNextRaw(String method, String body) {
        rawAnswers.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(body);
    }

    /** Calls of {@code method} wait, unanswered, until {@link #release(String)}. */
    public void hold(String method) {
        holds.put(method, new CountDownLatch(1));
    }

    public void release(String method) {
        CountDownLatch latch = holds.remove(method);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Makes {@code userId} a member of {@code channelId} (the bot becomes one by posting there). */
    public void addMember(String channelId, String userId) {
        members.computeIfAbsent(channelId, c -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    /** Makes {@code channelId} a private channel: listed to the bot only while the bot is a member too. */
    public void makePrivate(String channelId) {
        privateChannels.add(channelId);
    }

    /** The blocks of the Home view last published for {@code userId} (JSON), or null when none was. */
    public String homeView(String userId) {
        return homeViews.get(userId);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public void reset() {
        calls.clear();
        homeViews.clear();
        failures.clear();
        httpFailures.clear();
        rawAnswers.clear();
        holds.values().forEach(CountDownLatch::countDown);
        holds.clear();
    }

    /** Waits until {@code count} calls of {@code method} match, then returns them all (matching ones). */
    public List<Call> await(String method, int count, Predicate<Call> match) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Call> matching = calls(method).stream().filter(match).toList();
            if (matching.size() >= count) {
                return matching;
            }
            sleep();
        }
        throw new AssertionError("expected " + count + " matching " + method + " call(s) within " + AWAIT.toSeconds()
                + " s; calls were:\n"
                + describe());
    }

    public Call await(String method, Predicate<Call> match) {
        List<Call> matching = await(method, 1, match);
        return matching.get(matching.size() - 1);
    }

    public Call await(String method) {
        return await(method, c -> true);
    }

    /** Asserts that no call of {@code method} happens within {@code quietFor}. */
    public void assertNoCall(String method, Duration quietFor) {
        assertNoCall(method, quietFor, c -> true);
    }

    /** As {@link #assertNoCall(String, Duration)}, for calls that {@code match} only. */
    public void assertNoCall(String method, Duration quietFor, Predicate<Call> match) {
        long before = calls(method).stream().filter(match).count();
        long deadline = System.nanoTime() + quietFor.toNanos();
        while (System.nanoTime() < deadline) {
            List<Call> matching = calls(method).stream().filter(match).toList();
            if (matching.size() > before) {
                throw new AssertionError("unexpected " + method + " call: " + matching.get((int) before));
            }
            sleep();
        }
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Call call : calls) {
            text.append("  ").append(call.method()).append(' ').append(call.params()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        reset();
        server.shutdown();
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        String path = request.getPath() == null ? "" : request.getPath();
        String method = path.replaceFirst("^/api/", "").replaceFirst("\\?.*$", "");
        String body = request.getBody().readUtf8();
        Map<String, String> params = parse(request.getHeader("Content-Type"), body);
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            params.putIfAbsent("token", auth.substring("Bearer ".length()));
        }
        Call call = new Call(method, params, body);
        calls.add(call);
        CountDownLatch hold = holds.get(method);
        if (hold != null) {
            hold.await(30, TimeUnit.SECONDS);
        }
        if (!BOT_TOKEN.equals(params.get("token"))) {
            return json(Map.of("ok", false, "error", "invalid_auth"));
        }
        Queue<int[]> http = httpFailures.get(method);
        int[] httpFailure = http == null ? null : http.poll();
        if (httpFailure != null) {
            MockResponse response = new MockResponse().setResponseCode(httpFailure[0])
                    .setHeader("Content-Type", "application/json; charset=utf-8")
                    .setBody(GSON.toJson(Map.of("ok", false, "error", httpFailure[0] == 429 ? "ratelimited"
                            : "internal_error")));
            if (httpFailure[1] >= 0) {
                response.setHeader("Retry-After", Integer.toString(httpFailure[1]));
            }
            return response;
        }
        Queue<String> raw = rawAnswers.get(method);
        String rawAnswer = raw == null ? null : raw.poll();
        if (rawAnswer != null) {
            return new MockResponse().setHeader("Content-Type", "application/json; charset=utf-8").setBody(rawAnswer);
        }
        Queue<String> queued = failures.get(method);
        String failure = queued == null ? null : queued.poll();
        if (failure != null) {
            return json(Map.of("ok", false, "error", failure));
        }
        return json(success(method, params));
    }

    private Map<String, Object> success(String method, Map<String, String> params) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        switch (method) {
            case "auth.test" -> {
                answer.put("url", WORKSPACE_URL);
                answer.put("team", "ASC Test");
                answer.put("user", "asc-onboard");
                answer.put("team_id", TEAM_ID);
                answer.put("user_id", BOT_USER_ID);
                answer.put("bot_id", "B0BOT00001");
            }
            case "chat.postMessage" -> {
                String ts = nextTs();
                answer.put("channel", params.get("channel"));
                answer.put("ts", ts);
                posted.add(params.get("channel") + "/" + ts);
                addMember(params.get("channel"), BOT_USER_ID);
            }
            case "chat.getPermalink" -> {
                if (!posted.contains(params.get("channel") + "/" + params.get("message_ts"))) {
                    return Map.of("ok", false, "error", "message_not_found");
                }
                answer.put("channel", params.get("channel"));
                answer.put("permalink", WORKSPACE_URL + "archives/" + params.get("channel") + "/p"
                        + params.get("message_ts").replace(".", ""));
            }
            case "users.conversations" -> {
                return conversations(params);
            }
            case "views.publish" -> {
                return publish(params);
            }
            case "chat.update" -> {
                answer.put("channel", params.get("channel"));
                answer.put("ts", params.get("ts"));
            }
            case "chat.postEphemeral" -> answer.put("message_ts", nextTs());
            case "views.open" -> answer.put("view", Map.of("id", "V" + clock.incrementAndGet()));
            case "conversations.join" -> answer.put("channel", Map.of("id", String.valueOf(params.get("channel"))));
            default -> {
                answer.put("ok", false);
                answer.put("error", "unknown_method");
            }
        }
        return answer;
    }

    /**
     * users.conversations as Slack answers a bot token: the channels {@code user} is a member of, of the asked
     * types, private ones only where the bot is a member too; pages of {@code limit} with a cursor.
     */
    private Map<String, Object> conversations(Map<String, String> params) {
        String user = params.get("user");
        String types = params.getOrDefault("types", "public_channel");
        boolean publicOnes = types.contains("public_channel");
        boolean privateOnes = types.contains("private_channel");
        List<String> ids = members.entrySet().stream()
                .filter(e -> e.getValue().contains(user))
                .map(Map.Entry::getKey)
                .filter(id -> privateChannels.contains(id)
                        ? privateOnes && members.get(id).contains(BOT_USER_ID) : publicOnes)
                .sorted().toList();
        int limit = Math.max(1, Math.min(999, Integer.parseInt(params.getOrDefault("limit", "100"))));
        String cursor = params.get("cursor");
        int from = cursor == null || cursor.isEmpty() ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder()
                .decode(cursor), StandardCharsets.UTF_8).replace("next:", ""));
        List<Map<String, Object>> channels = new ArrayList<>();
        for (String id : ids.subList(Math.min(from, ids.size()), Math.min(from + limit, ids.size()))) {
            boolean isPrivate = privateChannels.contains(id);
            Map<String, Object> channel = new LinkedHashMap<>();
            channel.put("id", id);
            channel.put("name", id.toLowerCase(java.util.Locale.ROOT));
            channel.put("is_channel", !isPrivate);
            channel.put("is_group", isPrivate);
            channel.put("is_im", false);
            channel.put("is_mpim", false);
            channel.put("is_private", isPrivate);
            channel.put("created", 1_449_252_889);
            channel.put("is_archived", false);
            channel.put("is_general", false);
            channel.put("unlinked", 0);
            channel.put("name_normalized", id.toLowerCase(java.util.Locale.ROOT));
            channel.put("is_shared", false);
            channel.put("is_org_shared", false);
            channel.put("is_ext_shared", false);
            channel.put("is_pending_ext_shared", false);
            channels.add(channel);
        }
        String next = from + limit < ids.size() ? java.util.Base64.getEncoder().encodeToString(("next:" + (from + limit))
                .getBytes(StandardCharsets.UTF_8)) : "";
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("channels", channels);
        answer.put("response_metadata", Map.of("next_cursor", next));
        return answer;
    }

    /** views.publish: a Home view of at most 100 blocks for a user, answered with the view as Slack stores it. */
    private Map<String, Object> publish(Map<String, String> params) {
        String user = params.get("user_id");
        JsonObject view;
        try {
            view = JsonParser.parseString(params.getOrDefault("view", "")).getAsJsonObject();
        } catch (RuntimeException e) {
            return Map.of("ok", false, "error", "invalid_arguments");
        }
        if (user == null || !view.has("type") || !"home".equals(view.get("type").getAsString())
                || !view.has("blocks") || view.getAsJsonArray("blocks").size() > 100) {
            return Map.of("ok", false, "error", "invalid_arguments");
        }
        homeViews.put(user, view.get("blocks").toString());
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", "V" + clock.incrementAndGet());
        stored.put("team_id", TEAM_ID);
        stored.put("type", "home");
        stored.put("blocks", GSON.fromJson(view.get("blocks"), List.class));
        stored.put("private_metadata", "");
        stored.put("callback_id", "");
        stored.put("state", Map.of("values", Map.of()));
        stored.put("hash", clock.get() + ".abcdef");
        stored.put("clear_on_close", false);
        stored.put("notify_on_close", false);
        stored.put("app_id", "A0APP00001");
        stored.put("external_id", "");
        stored.put("bot_id", "B0BOT00001");
        return Map.of("ok", true, "view", stored);
    }

    private String nextTs() {
        long micros = clock.incrementAndGet();
        return (micros / 1_000) + "." + String.format("%06d", micros % 1_000_000);
    }

    private static Map<String, String> parse(String contentType, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return params;
        }
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonObject object = JsonParser.parseString(body).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : object.entrySet()) {
                JsonElement value = e.getValue();
                params.put(e.getKey(), value.isJsonPrimitive() ? value.getAsString() : value.toString());
            }
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, JSON_PARAMS.contains(name) ? readable(value) : value);
        }
        return params;
    }

    /** Re-encodes a JSON parameter without Gson's HTML escaping, so tests can read {@code <} and {@code &}. */
    private static String readable(String json) {
        try {
            return READABLE.toJson(JsonParser.parseString(json));
        } catch (RuntimeException e) {
            return json;
        }
    }

    private static MockResponse json(Map<String, Object> body) {
        return new MockResponse().setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(GSON.toJson(body));
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every recorded call's parameters joined, for scans over what Slack was told. */
    public String everythingSent() {
        List<String> parts = new ArrayList<>();
        calls.forEach(c -> parts.add(c.method() + " " + c.rawBody()));
        return String.join("\n", parts);
    }
}
