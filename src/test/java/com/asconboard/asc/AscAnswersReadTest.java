package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.VerificationReport.Slot;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.MutableClock;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The small readings and words the verification is built from, each at its edge: a certificate's label and
 * expiry, a user's missing grants, tolerant JSON, rate-limit windows, the slot census, the status line, and
 * the answers the client takes as they come.
 */
class AscAnswersReadTest {
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static AscCertificate certificate(String id, String name, String displayName, Instant expires) {
        return new AscCertificate(id, name, "DISTRIBUTION", displayName, null, "IOS", expires, null, null, null);
    }

    @Test
    void a_certificate_label_joins_name_and_display_name_only_when_they_differ() {
        assertThat(certificate("C1", "Apple Distribution", "Jane's Mac", null).label())
                .isEqualTo("Apple Distribution (Jane's Mac)");
        assertThat(certificate("C1", "Same", "Same", null).label()).isEqualTo("Same");
        assertThat(certificate("C1", "Only name", null, null).label()).isEqualTo("Only name");
        assertThat(certificate("C1", null, "Only display", null).label()).isEqualTo("Only display");
        assertThat(certificate("C1", null, null, null).label()).isEqualTo("C1");
    }

    @Test
    void a_certificate_with_a_known_expiry_is_not_unknown_and_expires_at_that_instant() {
        AscCertificate known = certificate("C1", "n", null, NOW);

        assertThat(known.expiryUnknown()).isFalse();
        assertThat(known.isExpired(NOW.minusMillis(1))).isFalse();
        assertThat(known.isExpired(NOW)).isTrue();
    }

    @Test
    void a_certificate_subject_without_team_fields_gives_none() {
        assertThat(AscCertificate.subject(null)).containsExactly(null, null);
        assertThat(AscCertificate.x509("not base64 at all!")).isNull();
        assertThat(AscCertificate.x509(" ")).isNull();
        var content = java.util.Base64.getDecoder().decode(TestKeys.body(TestKeys.selfSignedCertPem()));
        var x509 = AscCertificate.x509(java.util.Base64.getEncoder().encodeToString(content));
        assertThat(x509).isNotNull();
        assertThat(AscCertificate.subject(x509)).containsExactly(null, null);
    }

    @Test
    void a_user_lacks_the_grants_not_ticked_and_an_admin_lacks_none() {
        assertThat(new AscUser("u", "a@b.example", List.of("DEVELOPER"), false).missingGrants()).containsExactly(
                "Access to Certificates, Identifiers & Profiles", "Access to Cloud Managed Distribution Certificate");
        assertThat(new AscUser("u", "a@b.example", List.of("DEVELOPER", AscUser.CLOUD_MANAGED_DISTRIBUTION), true)
                .missingGrants()).isEmpty();
        assertThat(new AscUser("u", "a@b.example", List.of("ADMIN"), null).missingGrants()).isEmpty();
    }

    @Test
    void json_members_of_the_wrong_type_read_as_absent() {
        JsonObject o = JsonParser.parseString("{\"t\":true,\"f\":false,\"s\":\"true\",\"a\":[1],\"n\":null,"
                + "\"o\":{}}").getAsJsonObject();

        assertThat(Json.bool(o, "t")).isTrue();
        assertThat(Json.bool(o, "f")).isFalse();
        assertThat(Json.bool(o, "s")).isNull();
        assertThat(Json.bool(o, "missing")).isNull();
        assertThat(Json.bool(null, "t")).isNull();
        assertThat(Json.array(o, "a")).hasSize(1);
        assertThat(Json.array(o, "o")).isEmpty();
        assertThat(Json.array(null, "a")).isEmpty();
        assertThat(Json.object(o, "a")).isNull();
        assertThat(Json.string(o, "o")).isNull();
        assertThat(Json.string(o, "n")).isNull();
    }

    @Test
    void a_window_with_nothing_left_or_no_limit_is_still_read() {
        RateLimit limit = RateLimit.parse("user-hour-lim:0;user-hour-rem:0;user-minute-lim:60;user-minute-rem:0;");

        assertThat(limit.windows()).containsExactly(new RateLimit.Window("user-hour", Duration.ofHours(1), 0, 0),
                new RateLimit.Window("user-minute", Duration.ofMinutes(1), 60, 0));
        assertThat(RateLimit.parse("user-hour-lim:3600;")).as("a window needs both figures").isNull();
    }

    @Test
    void the_tightest_window_is_the_one_with_the_smallest_share_left() {
        RateLimit limit = RateLimit.parse(List.of("user-hour-lim:3600;user-hour-rem:100;",
                "user-minute-lim:10;user-minute-rem:5;"));

        assertThat(limit.tightest().name()).isEqualTo("user-hour");
        assertThat(RateLimit.parse("user-day-lim:10;user-day-rem:1;user-second-lim:5;user-second-rem:5;")
                .windows()).extracting(RateLimit.Window::period).containsExactly(Duration.ofDays(1), Duration.ofSeconds(1));
    }

    @Test
    void full_slots_without_the_vendor_are_counted_without_a_free_one() {
        CertificateSlots full = CertificateSlots.count(List.of(certificate("A", "A", null, NOW.plusSeconds(60)),
                certificate("B", "B", null, NOW.plusSeconds(60)), certificate("C", "C", null, NOW.plusSeconds(60))),
                Set.of(), NOW);

        assertThat(full.census()).isEqualTo("3 of 3 in use");
        assertThat(full.check().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void only_certificates_whose_expiry_is_unknown_are_named_as_such() {
        CertificateSlots census = CertificateSlots.count(List.of(certificate("A", "Known", null, NOW.plusSeconds(60)),
                certificate("B", "Unknown", null, null)), Set.of(), NOW);

        assertThat(census.census()).isEqualTo("2 of 3 in use, 1 free for the vendor; the expiry of Unknown could not "
                + "be read, so it is counted as in use");
    }

    static VerificationReport report(Check... checks) {
        return new VerificationReport(NOW, List.of(checks), List.of());
    }

    static Check check(Kind kind, Outcome outcome, String reason, Diagnosis.Kind cause) {
        return new Check(kind, outcome, reason, null, cause);
    }

    @Test
    void the_status_line_says_verified_or_counts_problems_led_by_what_apples_refusal_means() {
        Check auth = check(Kind.AUTHENTICATION, Outcome.PASSED, "ok", null);
        Check provisioning = check(Kind.PROVISIONING, Outcome.PASSED, "ok", null);

        assertThat(ReportText.summary(report(auth, provisioning))).isEqualTo("✅ verified 2026-11-26");
        assertThat(ReportText.summary(report(auth, provisioning,
                check(Kind.TEAM, Outcome.FAILED, "team differs", null))))
                .isEqualTo("❌ 1 problem to fix (checked 2026-11-26)");
        assertThat(ReportText.summary(report(auth, provisioning,
                check(Kind.TEAM, Outcome.UNKNOWN, "unknown", Diagnosis.Kind.RATE_LIMITED),
                check(Kind.TEAM, Outcome.FAILED, "team differs", null),
                check(Kind.SLOTS, Outcome.FAILED, "full", Diagnosis.Kind.SLOTS_FULL))))
                .isEqualTo("❌ 2 problems to fix (checked 2026-11-26): all distribution-certificate slots are in use");
    }

    @Test
    void a_verification_that_could_not_finish_names_its_first_open_check() {
        Check auth = check(Kind.AUTHENTICATION, Outcome.PASSED, "ok", null);

        assertThat(ReportText.summary(report(auth, check(Kind.PROVISIONING, Outcome.UNKNOWN, "could not tell: busy",
                null), check(Kind.TEAM, Outcome.UNKNOWN, "second", null))))
                .isEqualTo("❔ could not finish (2026-11-26): could not tell: busy");
        assertThat(ReportText.summary(report(auth)))
                .isEqualTo("❔ could not finish (2026-11-26): some checks could not be made");
    }

    @Test
    void a_report_without_a_slot_check_gets_one_when_the_census_is_updated() {
        VerificationReport before = report(check(Kind.AUTHENTICATION, Outcome.PASSED, "ok", null));
        CertificateSlots census = CertificateSlots.count(List.of(certificate("A", "A", null, NOW.plusSeconds(60))),
                Set.of(), NOW);

        VerificationReport after = before.withSlots(census);

        assertThat(after.checks()).extracting(Check::kind).containsExactly(Kind.AUTHENTICATION, Kind.SLOTS);
        assertThat(after.check(Kind.SLOTS).reason()).isEqualTo("1 of 3 in use, 2 free for the vendor");
        assertThat(after.slots()).extracting(Slot::name).containsExactly("A");
    }

    @Test
    void a_diagnosis_reads_the_status_at_its_edges() {
        assertThat(Diagnosis.kindOf(new AscException(500, List.of(), "x", null))).isEqualTo(Diagnosis.Kind.APPLE_FAILED);
        assertThat(Diagnosis.kindOf(new AscException(499, List.of(), "x", null)))
                .isEqualTo(Diagnosis.Kind.REQUEST_REFUSED);
        assertThat(Diagnosis.kindOf(new AscException(400, List.of(), "x", null)))
                .isEqualTo(Diagnosis.Kind.REQUEST_REFUSED);
        assertThat(Diagnosis.kindOf(new AscException(399, List.of(), "x", null))).isEqualTo(Diagnosis.Kind.APPLE_FAILED);
        Diagnosis d = Diagnosis.of(new AscException(429, List.of(), "x", null));
        assertThat(d.sentence()).isEqualTo("App Store Connect's rate limit for this key is reached (HTTP 429). "
                + "Verify again later.");
        assertThat(d.actor()).isEqualTo("nobody: it passes by itself and the bot tries again");
    }

    @Test
    void the_client_takes_an_empty_answer_as_an_empty_document_and_refuses_one_that_is_not_an_object()
            throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (FakeAsc asc = new FakeAsc(clock)) {
            KeyPair pair = TestKeys.ecP256();
            asc.addAccount("READTEAM01", "Read Ltd").addKey("READKEY001", "57246542-96fe-1a63-e053-0824d011072a",
                    (java.security.interfaces.ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
            AscTokens tokens = new AscTokens(new AscCredentials("57246542-96fe-1a63-e053-0824d011072a", "READKEY001",
                    (ECPrivateKey) pair.getPrivate()), clock);
            AscClient client = new AscClient(AscClient.defaultHttp(), asc.url(), tokens,
                    new AscClient.Retries(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5)), d -> { });
            assertThat(client.rateLimit()).as("before any answer").isNull();

            asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(200, " ")
                    .withHeader("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3599;"));
            assertThat(client.get("/v1/apps")).isEqualTo(new JsonObject());
            assertThat(client.rateLimit().window("user-hour")).hasValueSatisfying(
                    w -> assertThat(w.remaining()).isEqualTo(3599));

            asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(200, "[1, 2]"));
            assertThatThrownBy(() -> client.get("/v1/apps"))
                    .isInstanceOfSatisfying(AscException.class, e -> assertThat(e.status()).isEqualTo(200))
                    .hasMessage("App Store Connect answered HTTP 200 with a body that is not the JSON it documents");
        }
    }
}
