package com.asconboard.asc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Calls the App Store Connect API for one key. Every call goes through {@link #call}: a 401 is
 * retried once with a fresh token (Apple has spurious 401s); 429, 5xx and network failures are
 * retried with exponential backoff and jitter, honouring {@code Retry-After}, bounded in attempts
 * and time; near any of Apple's rate limits (hourly, per minute) calls are spaced out.
 */
public final class AscClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration MAX_PACING = Duration.ofSeconds(5);

    /** Retry bounds: attempts per call, the longest single wait, and the time one call may take in all. */
    public record Retries(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration budget) {
        public static Retries defaults() {
            return new Retries(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30));
        }
    }

    /** Waits between attempts; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final OkHttpClient http;
    private final String baseUrl;
    private final TokenSource tokens;
    private final Retries retries;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter;
    private volatile RateLimit rateLimit;

    public AscClient(OkHttpClient http, String baseUrl, TokenSource tokens, Retries retries, Sleeper sleeper) {
        this(http, baseUrl, tokens, retries, sleeper, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** With the backoff's random draw given ({@code jitter} answers a number from 0 to {@code bound - 1}): for tests. */
    AscClient(OkHttpClient http, String baseUrl, TokenSource tokens, Retries retries, Sleeper sleeper,
            LongUnaryOperator jitter) {
        this.jitter = jitter;
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        this.retries = retries;
        this.sleeper = sleeper;
    }

    /** The OkHttp client every App Store Connect call shares: bounded timeouts, no silent retries. */
    public static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(20))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(30))
                .retryOnConnectionFailure(false)
                .build();
    }

    public JsonObject get(String pathAndQuery) throws AscException {
        return call("GET", pathAndQuery, null, true);
    }

    /** POST is retried only where Apple cannot have acted on it (401, 429). */
    public JsonObject post(String path, JsonObject body) throws AscException {
        return call("POST", path, body, false);
    }

    public void delete(String path) throws AscException {
        call("DELETE", path, null, true);
    }

    /** The rate-limit figures of the last answer, or null before any. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    private JsonObject call(String method, String path, JsonObject body, boolean idempotent) throws AscException {
        long deadline = System.nanoTime() + retries.budget().toNanos();
        boolean renewed = false;
        AscException last = null;
        for (int attempt = 1; attempt <= retries.maxAttempts(); attempt++) {
            paceNearLimit();
            Request request = new Request.Builder()
                    .url(baseUrl + path)
                    .header("Authorization", "Bearer " + tokens.token())
                    .header("Accept", "application/json")
                    .method(method, body == null ? null : RequestBody.create(body.toString(), JSON))
                    .build();
            Duration wait;
            try (Response response = http.newCall(request).execute()) {
                // Apple sends one X-Rate-Limit line per window (hour, minute): header() would see only the last.
                RateLimit figures = RateLimit.parse(response.headers("X-Rate-Limit"));
                if (figures != null) {
                    rateLimit = figures;
                }
                String text = readBody(response.body());
                if (response.isSuccessful()) {
                    return parseObject(response.code(), text);
                }
                last = error(method, path, response.code(), text);
                int code = response.code();
                if (code == 401 && !renewed) {
                    renewed = true;
                    tokens.renew();
                    attempt--;
                    continue;
                }
                boolean retryable = code == 429 || (idempotent && (code == 500 || code == 502 || code == 503
                        || code == 504));
                if (!retryable) {
                    throw last;
                }
                wait = retryAfter(response.header("Retry-After"), attempt);
            } catch (IOException e) {
                last = new AscException(0, List.of(), method + " " + pathOnly(path)
                        + ": App Store Connect did not answer (" + e.getClass().getSimpleName() + ")", e);
                if (!idempotent) {
                    throw last;
                }
                wait = backoff(attempt);
            }
            if (attempt == retries.maxAttempts()
                    || System.nanoTime() + wait.toNanos() > deadline) {
                break;
            }
            sleep(wait);
        }
        throw last;
    }

    private void paceNearLimit() throws AscException {
        RateLimit limit = rateLimit;
        if (limit != null) {
            // Spread what is left of the tightest window evenly rather than hitting the wall.
            Duration wait = limit.pacing(MAX_PACING);
            if (!wait.isZero()) {
                sleep(wait);
            }
        }
    }

    private void sleep(Duration wait) throws AscException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AscException(0, List.of(), "interrupted while waiting to retry", e);
        }
    }

    private Duration retryAfter(String header, int attempt) {
        if (header != null) {
            try {
                long seconds = Long.parseLong(header.strip());
                if (seconds >= 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException ignored) {
                // an HTTP date or garbage: fall back to our own backoff
            }
        }
        return backoff(attempt);
    }

    /** Exponential with jitter: between half and all of first × 2^(attempt-1), capped. */
    private Duration backoff(int attempt) {
        long full = Math.min(retries.maxBackoff().toMillis(),
                retries.firstBackoff().toMillis() << Math.min(20, attempt - 1));
        long jittered = full / 2 + jitter.applyAsLong(full / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    private static String readBody(ResponseBody body) throws IOException {
        return body == null ? "" : body.string();
    }

    private static JsonObject parseObject(int status, String text) throws AscException {
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement json = JsonParser.parseString(text);
            if (!json.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            return json.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new AscException(status, List.of(), "App Store Connect answered HTTP " + status
                    + " with a body that is not the JSON it documents", e);
        }
    }

    static AscException error(String method, String path, int status, String text) {
        List<AscError> errors = parseErrors(text);
        String first = errors.isEmpty() ? "" : ": " + (errors.get(0).code() == null ? "" : errors.get(0).code());
        return new AscException(status, errors, method + " " + pathOnly(path) + " answered HTTP " + status + first,
                null);
    }

    /** Apple's error list, read tolerantly: anything missing stays null, an unreadable body gives none. */
    public static List<AscError> parseErrors(String text) {
        List<AscError> errors = new ArrayList<>();
        try {
            JsonElement json = JsonParser.parseString(text);
            if (!json.isJsonObject() || !json.getAsJsonObject().has("errors")
                    || !json.getAsJsonObject().get("errors").isJsonArray()) {
                return errors;
            }
            JsonArray array = json.getAsJsonObject().getAsJsonArray("errors");
            for (JsonElement element : array) {
                if (element.isJsonObject()) {
                    errors.add(error(element.getAsJsonObject()));
                }
            }
        } catch (JsonParseException | IllegalStateException | StackOverflowError e) {
            return errors;
        }
        return errors;
    }

    /** One entry; {@code details} (plural) is read where {@code detail} is missing, as some answers spell it. */
    private static AscError error(JsonObject e) {
        String detail = Json.string(e, "detail");
        if (detail == null) {
            detail = Json.string(e, "details");
        }
        JsonObject source = Json.object(e, "source");
        String where = Json.string(source, "parameter") != null ? Json.string(source, "parameter")
                : Json.string(source, "pointer");
        return new AscError(Json.string(e, "id"), Json.string(e, "status"), Json.string(e, "code"),
                Json.string(e, "title"), detail, where, Json.string(Json.object(e, "links"), "see"));
    }

    private static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
