package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.MutableClock;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the bot says about a failed App Store Connect call — the exception's text, Apple's words as quoted,
 * the diagnosis, the report and every log line — never carries a query string (the vendor's e-mail in
 * {@code /v1/users?filter[username]=…}) or a bearer token, even when Apple's answer echoes them.
 */
class AscErrorTextTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String KEY_ID = "TEXTKEY001";
    static final String VENDOR = "builds@vendor.example";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    FakeAsc asc;
    FakeAsc.Account account;
    AscTokens tokens;
    LogCapture logs;

    @BeforeEach
    void setUp() {
        logs = new LogCapture();
        asc = new FakeAsc(clock);
        account = asc.addAccount("TEXTTEAM01", "Text Ltd");
        KeyPair pair = TestKeys.ecP256();
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addApp("Text App", "com.text.app");
        tokens = new AscTokens(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate()), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
        logs.close();
    }

    AppStoreConnect connect() {
        return new AppStoreConnect(new AscClient(AscClient.defaultHttp(), asc.url(), tokens,
                new AscClient.Retries(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(5)), d -> { }));
    }

    /** An error answer whose words repeat the request: its URL with the query, and the token it carried. */
    String echoing(int status, String code) {
        String token = tokens.token();
        JsonObject error = new JsonObject();
        error.addProperty("status", Integer.toString(status));
        error.addProperty("code", code);
        error.addProperty("title", "Refused " + asc.url() + "/v1/users?filter[username]=" + VENDOR + "&limit=10");
        error.addProperty("detail", "GET /v1/users?filter%5Busername%5D=builds%40vendor.example&limit=10 with "
                + "Authorization: Bearer " + token + " (token " + token + ") is not allowed");
        JsonArray errors = new JsonArray();
        errors.add(error);
        JsonObject body = new JsonObject();
        body.add("errors", errors);
        return body.toString();
    }

    @Test
    void a_refused_user_lookup_names_the_path_but_not_the_query_or_the_token() {
        asc.failAlways("/v1/users", FakeAsc.Fault.recorded(403, echoing(403, "FORBIDDEN_ERROR")));

        AscException e = refusal(() -> connect().usersNamed(VENDOR));

        assertThat(e.getMessage()).isEqualTo("GET /v1/users answered HTTP 403: FORBIDDEN_ERROR");
        assertThat(e.appleSays()).startsWith("FORBIDDEN_ERROR: GET /v1/users with Authorization: Bearer ****");
        assertNothingLeaks(texts(e));
    }

    @Test
    void a_server_error_on_a_user_lookup_names_the_path_but_not_the_query_or_the_token() {
        asc.failAlways("/v1/users", FakeAsc.Fault.recorded(500, echoing(500, "UNEXPECTED_ERROR")));

        AscException e = refusal(() -> connect().usersNamed(VENDOR));

        assertThat(e.getMessage()).isEqualTo("GET /v1/users answered HTTP 500: UNEXPECTED_ERROR");
        assertThat(e.unreachable()).as("Apple answered, with an error").isFalse();
        assertNothingLeaks(texts(e));
    }

    @Test
    void an_invitation_lookup_that_gets_no_answer_names_the_path_only() {
        asc.failAlways("/v1/userInvitations", FakeAsc.Fault.disconnect());

        AscException e = refusal(() -> connect().invitationsFor(VENDOR));

        assertThat(e.unreachable()).isTrue();
        assertThat(e.getMessage()).startsWith("GET /v1/userInvitations: App Store Connect did not answer (");
        assertNothingLeaks(texts(e));
    }

    @Test
    void the_verification_report_and_the_log_carry_no_query_string_or_token() {
        account.addCertificate("Apple Distribution: Text Ltd", FakeAsc.CertificateType.DISTRIBUTION,
                clock.instant().plus(Duration.ofDays(100)));
        asc.failAlways("/v1/users", FakeAsc.Fault.recorded(403, echoing(403, "FORBIDDEN_ERROR")));

        VerificationReport report = new Verifier().verify(connect(),
                new Verifier.Claims("TEXTTEAM01", "Text Ltd", VENDOR, Set.of()), clock.instant());

        VerificationReport.Check vendor = report.check(Kind.VENDOR_USER);
        assertThat(vendor.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(vendor.reason()).isEqualTo("could not tell: the key may not read the account's users");
        assertNothingLeaks(List.of(ReportText.describe(report), ReportText.summary(report), logs.text()));
        assertThat(asc.requests("/v1/users").get(0).param("filter[username]")).as("the lookup was made")
                .isEqualTo(VENDOR);
    }

    interface Call {
        Object run() throws AscException;
    }

    static AscException refusal(Call call) {
        List<AscException> caught = new ArrayList<>();
        assertThatThrownBy(() -> {
            try {
                call.run();
            } catch (AscException e) {
                caught.add(e);
                throw e;
            }
        }).isInstanceOf(AscException.class);
        return caught.get(0);
    }

    static List<String> texts(AscException e) {
        Diagnosis d = Diagnosis.of(e);
        return List.of(e.getMessage(), e.toString(), e.appleSays(), d.problem(), d.fix(), d.sentence(),
                CertificateRefusal.explain(e, null, Instant.EPOCH));
    }

    void assertNothingLeaks(List<String> texts) {
        Set<String> presented = asc.tokensPresented();
        assertThat(presented).isNotEmpty();
        for (String text : texts) {
            assertThat(text).doesNotContain("filter", "username", "builds", "vendor.example", "limit=10", "%40");
            for (String token : presented) {
                assertThat(text).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
        }
    }
}
