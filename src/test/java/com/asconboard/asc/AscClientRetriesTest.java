package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.MutableClock;
import com.google.gson.JsonObject;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the client waits between attempts, read from the waits it asks its sleeper for (nothing sleeps):
 * exponential growth from the first backoff, the cap, the jitter between half and all of each step, Apple's
 * Retry-After, and which answers are retried at all.
 */
class AscClientRetriesTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String KEY_ID = "RETRY00001";
    /** 100 ms doubling: 100, 200, then 400 capped at 250. */
    static final AscClient.Retries RETRIES =
            new AscClient.Retries(4, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(60));
    static final LongUnaryOperator HIGHEST = bound -> bound - 1;
    static final LongUnaryOperator LOWEST = bound -> 0;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<Long> bounds = new CopyOnWriteArrayList<>();
    FakeAsc asc;
    AscTokens tokens;

    @BeforeEach
    void setUp() throws Exception {
        asc = new FakeAsc(clock);
        FakeAsc.Account account = asc.addAccount("RETRYTEAM1", "Retry Ltd");
        KeyPair pair = TestKeys.ecP256();
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addApp("Retry App", "com.retry.app");
        tokens = new AscTokens(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate()), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
    }

    AscClient client(AscClient.Retries retries, LongUnaryOperator jitter) {
        OkHttpClient http = AscClient.defaultHttp().newBuilder().readTimeout(Duration.ofSeconds(5)).build();
        return new AscClient(http, asc.url(), tokens, retries, waits::add, bound -> {
            bounds.add(bound);
            return jitter.applyAsLong(bound);
        });
    }

    @Test
    void backoff_doubles_from_the_first_wait_up_to_the_cap_at_the_top_of_its_jitter() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());

        assertThatThrownBy(() -> client(RETRIES, HIGHEST).get("/v1/apps?limit=1"))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(500));

        assertThat(asc.requests("/v1/apps")).hasSize(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
        assertThat(bounds).as("half of each step is left to chance").startsWith(51L, 101L, 126L);
    }

    @Test
    void backoff_never_waits_less_than_half_of_each_step() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());

        assertThatThrownBy(() -> client(RETRIES, LOWEST).get("/v1/apps?limit=1")).isInstanceOf(AscException.class);

        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(125));
    }

    @Test
    void the_cap_holds_however_many_attempts_are_allowed() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());
        AscClient.Retries many = new AscClient.Retries(30, Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofHours(1));

        assertThatThrownBy(() -> client(many, HIGHEST).get("/v1/apps?limit=1")).isInstanceOf(AscException.class);

        assertThat(asc.requests("/v1/apps")).hasSize(30);
        assertThat(waits).hasSize(29).startsWith(Duration.ofMillis(100), Duration.ofMillis(200))
                .containsOnly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
    }

    @Test
    void a_connection_dropped_without_an_answer_is_retried_with_the_same_backoff() throws Exception {
        asc.failNext("/v1/apps", 2, FakeAsc.Fault.disconnect());

        JsonObject apps = client(RETRIES, HIGHEST).get("/v1/apps?limit=1");

        assertThat(Json.resources(apps)).hasSize(1);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retry_after_in_seconds_is_waited_as_given_and_anything_else_falls_back_to_the_backoff() throws Exception {
        String body = Recorded.body("error-429-details.json");
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(429, body).withHeader("Retry-After", " 7 "));
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(429, body).withHeader("Retry-After", "0"));
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(429, body).withHeader("Retry-After", "-3"));

        client(new AscClient.Retries(5, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(60)),
                HIGHEST).get("/v1/apps?limit=1");

        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ZERO, Duration.ofMillis(250));
    }

    @Test
    void a_retry_after_date_falls_back_to_the_backoff() throws Exception {
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(429, Recorded.body("error-429-details.json"))
                .withHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));

        client(RETRIES, HIGHEST).get("/v1/apps?limit=1");

        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void a_post_is_retried_after_429_but_not_after_a_server_error_or_a_lost_answer() throws Exception {
        asc.failNext("POST", "/v1/certificates", 1,
                FakeAsc.Fault.recorded(429, Recorded.body("error-429-details.json")).withHeader("Retry-After", "2"));
        asc.failNext("POST", "/v1/certificates", 1, FakeAsc.Fault.serverError());
        AscClient client = client(RETRIES, HIGHEST);
        JsonObject body = new JsonObject();

        assertThatThrownBy(() -> client.post("/v1/certificates", body))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(asc.requests("/v1/certificates")).hasSize(2);

        asc.failNext("POST", "/v1/certificates", 1, FakeAsc.Fault.disconnect());
        assertThatThrownBy(() -> client.post("/v1/certificates", body))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.unreachable()).isTrue());
        assertThat(asc.requests("/v1/certificates")).hasSize(3);
        assertThat(waits).hasSize(1);
    }

    @Test
    void client_errors_other_than_401_and_429_are_not_retried() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.forbidden());

        assertThatThrownBy(() -> client(RETRIES, HIGHEST).get("/v1/apps?limit=1"))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(403));

        assertThat(asc.requests("/v1/apps")).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void every_retryable_server_status_is_retried() throws Exception {
        for (int status : new int[] {500, 502, 503, 504}) {
            asc.clearFaults();
            waits.clear();
            asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(status, "{\"errors\":[]}"));

            client(RETRIES, HIGHEST).get("/v1/apps?limit=1");

            assertThat(waits).as("HTTP " + status).containsExactly(Duration.ofMillis(100));
        }
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(501, "{\"errors\":[]}"));
        assertThatThrownBy(() -> client(RETRIES, HIGHEST).get("/v1/apps?limit=1")).as("HTTP 501")
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(501));
    }

    @Test
    void a_401_is_retried_once_at_once_with_a_fresh_token_then_reported() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.unauthorized());

        assertThatThrownBy(() -> client(RETRIES, HIGHEST).get("/v1/apps?limit=1"))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(401));

        assertThat(asc.requests("/v1/apps")).hasSize(2);
        assertThat(asc.distinctTokens()).isEqualTo(2);
        assertThat(waits).isEmpty();
    }

    @Test
    void a_wait_that_would_overrun_the_budget_ends_the_retries() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.rateLimited(11));
        AscClient.Retries tenSeconds = new AscClient.Retries(4, Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofSeconds(10));

        assertThatThrownBy(() -> client(tenSeconds, HIGHEST).get("/v1/apps?limit=1"))
                .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(429));

        assertThat(asc.requests("/v1/apps")).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void an_interrupted_wait_stops_the_call_and_keeps_the_interrupt() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());
        OkHttpClient http = AscClient.defaultHttp();
        AscClient client = new AscClient(http, asc.url(), tokens, RETRIES, d -> {
            throw new InterruptedException();
        });
        try {
            assertThatThrownBy(() -> client.get("/v1/apps?limit=1"))
                    .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.unreachable()).isTrue())
                    .hasMessage("interrupted while waiting to retry");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(asc.requests("/v1/apps")).hasSize(1);
    }

    @Test
    void the_base_url_may_end_with_a_slash() throws Exception {
        OkHttpClient http = AscClient.defaultHttp();
        AscClient client = new AscClient(http, asc.url() + "/", tokens, RETRIES, waits::add);

        assertThat(Json.resources(client.get("/v1/apps?limit=1"))).hasSize(1);
        assertThat(asc.requests("/v1/apps").get(0).path()).isEqualTo("/v1/apps?limit=1");
    }

    @Test
    void the_standard_client_spreads_its_waits_between_half_and_all_of_each_step() throws Exception {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());
        AscClient.Retries many = new AscClient.Retries(30, Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofHours(1));
        AscClient client = new AscClient(AscClient.defaultHttp(), asc.url(), tokens, many, waits::add);

        assertThatThrownBy(() -> client.get("/v1/apps?limit=1")).isInstanceOf(AscException.class);

        assertThat(waits).hasSize(29);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(waits.subList(2, 29)).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(125),
                Duration.ofMillis(250)));
        // 27 draws from 126 values: all at the bottom would mean no jitter at all.
        assertThat(waits.subList(2, 29)).as("jittered").isNotEqualTo(java.util.Collections.nCopies(27,
                Duration.ofMillis(125)));
    }
}
