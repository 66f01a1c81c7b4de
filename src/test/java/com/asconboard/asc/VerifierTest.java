package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.MutableClock;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each check's pass, fail and could-not-tell, and every failure mode, against the fake App Store Connect. */
class VerifierTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String KEY_ID = "KEY0000001";
    static final String TEAM_ID = "A1B2C3D4E5";
    static final String TEAM_NAME = "Acme Inc.";
    static final String VENDOR = "builds@vendor.example";

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    FakeAsc asc;
    FakeAsc.Account account;
    FakeAsc.Key key;
    KeyPair pair;
    AscConnector connector;

    @BeforeEach
    void setUp() {
        asc = new FakeAsc(clock);
        account = asc.addAccount(TEAM_ID, TEAM_NAME);
        pair = TestKeys.ecP256();
        key = account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addApp("Acme Rewards", "com.acme.rewards");
        // Short enough to test timeouts, long enough for a first answer on a busy machine.
        OkHttpClient http = AscClient.defaultHttp().newBuilder().readTimeout(Duration.ofSeconds(2)).build();
        connector = new AscConnector(http, asc.url(), clock,
                new AscClient.Retries(4, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(10)),
                waits::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
    }

    VerificationReport verify(String teamId, String teamName, String vendorAppleId) {
        return verify(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate()), teamId, teamName,
                vendorAppleId);
    }

    VerificationReport verify(AscCredentials credentials, String teamId, String teamName, String vendorAppleId) {
        return new Verifier().verify(connector.open(credentials),
                new Verifier.Claims(teamId, teamName, vendorAppleId, Set.of()), clock.instant());
    }

    VerificationReport verifyHealthy() {
        return verify(TEAM_ID, TEAM_NAME, VENDOR);
    }

    void healthyAccount() {
        account.addCertificate("Apple Distribution: Acme Inc.", FakeAsc.CertificateType.DISTRIBUTION,
                clock.instant().plus(Duration.ofDays(200)));
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
    }

    @Test
    void a_healthy_account_passes_every_check() {
        healthyAccount();

        VerificationReport report = verifyHealthy();

        assertThat(report.checks()).extracting(VerificationReport.Check::outcome).containsOnly(Outcome.PASSED);
        assertThat(report.verified()).isTrue();
        assertThat(report.check(Kind.TEAM).reason()).contains(TEAM_ID, TEAM_NAME, "certificates");
        assertThat(report.check(Kind.SLOTS).reason()).contains("1 of 3 in use", "2 free");
        assertThat(report.slots()).singleElement().satisfies(slot -> {
            assertThat(slot.type()).isEqualTo("DISTRIBUTION");
            assertThat(slot.expires()).as("read from Apple's +0000 form")
                    .isEqualTo(account.certificates().get(0).expirationDate());
            assertThat(slot.vendors()).isFalse();
            assertThat(slot.expired()).isFalse();
        });
        assertThat(report.check(Kind.VENDOR_USER).reason()).contains(VENDOR);
    }

    @Test
    void a_revoked_key_is_rejected_with_what_to_check() {
        account.revokeKey(KEY_ID);

        VerificationReport report = verifyHealthy();

        var auth = report.check(Kind.AUTHENTICATION);
        assertThat(auth.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(auth.reason()).contains("Apple rejected the key", "NOT_AUTHORIZED");
        assertThat(auth.fix()).contains("Key ID, Issuer ID and .p8 must belong to the same key", "revoked");
        assertThat(report.check(Kind.PROVISIONING).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(report.check(Kind.PROVISIONING).reason()).contains("skipped");
        assertThat(report.verified()).isFalse();
    }

    @Test
    void an_issuer_id_from_another_account_is_rejected() {
        VerificationReport report = verify(new AscCredentials("11111111-2222-3333-4444-555555555555", KEY_ID,
                (ECPrivateKey) pair.getPrivate()), TEAM_ID, TEAM_NAME, null);
        assertThat(report.check(Kind.AUTHENTICATION).outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void a_missing_agreement_is_the_account_holders_to_fix() {
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.agreementMissing());

        var auth = verifyHealthy().check(Kind.AUTHENTICATION);

        assertThat(auth.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(auth.reason()).contains("agreement");
        assertThat(auth.fix()).contains("Account Holder", "accept the latest agreement", "A new key will not help");
    }

    @Test
    void a_lapsed_membership_is_not_taken_for_a_role_too_low() {
        account.block(FakeAsc.Block.MEMBERSHIP_LAPSED);

        VerificationReport report = verifyHealthy();

        var auth = report.check(Kind.AUTHENTICATION);
        assertThat(auth.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(auth.cause()).isEqualTo(Diagnosis.Kind.MEMBERSHIP_LAPSED);
        assertThat(auth.reason()).contains("membership is not active", "the Account Holder must renew it", TEAM_ID)
                .doesNotContain("role is too low");
        assertThat(auth.fix()).contains("renew the Apple Developer Program").doesNotContain("App Manager");
        assertThat(report.check(Kind.PROVISIONING).reason()).contains("until the Account Holder acts");
        assertThat(report.accountBlock()).isEqualTo(Diagnosis.Kind.MEMBERSHIP_LAPSED);
        assertThat(ReportText.summary(report)).startsWith("❌ 1 problem to fix")
                .endsWith("the Apple Developer Program membership has lapsed: the Account Holder must renew it");
    }

    @Test
    void a_lapsed_membership_met_only_at_the_certificates_is_told_as_such() {
        healthyAccount();
        asc.failNext("/v1/certificates", 1, FakeAsc.Fault.membershipLapsed());

        var provisioning = verifyHealthy().check(Kind.PROVISIONING);

        assertThat(provisioning.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(provisioning.cause()).isEqualTo(Diagnosis.Kind.MEMBERSHIP_LAPSED);
        assertThat(provisioning.fix()).contains("Account Holder must renew").doesNotContain("Individual");
    }

    @Test
    void an_agreement_block_on_the_whole_account_says_who_must_act() {
        account.block(FakeAsc.Block.AGREEMENT_MISSING);

        VerificationReport report = verifyHealthy();

        assertThat(report.check(Kind.AUTHENTICATION).cause()).isEqualTo(Diagnosis.Kind.AGREEMENT_MISSING);
        assertThat(report.accountBlock()).isEqualTo(Diagnosis.Kind.AGREEMENT_MISSING);
        assertThat(ReportText.summary(report)).contains("an Apple agreement must be accepted by the Account Holder");

        account.block(null);
        healthyAccount();
        assertThat(verifyHealthy().accountBlock()).isNull();
    }

    @Test
    void an_unknown_forbidden_answer_is_quoted_with_a_neutral_fix() {
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(403, Recorded.body("error-403-unknown.json")));

        var auth = verifyHealthy().check(Kind.AUTHENTICATION);

        assertThat(auth.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(auth.cause()).isEqualTo(Diagnosis.Kind.FORBIDDEN_OTHER);
        assertThat(auth.reason()).contains("Access to this resource is restricted").doesNotContain("session", "eyJ");
        assertThat(auth.fix()).doesNotContain("renew", "new Team key");
    }

    @Test
    void a_forbidden_answer_means_the_role_is_too_low() {
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.forbidden());

        var auth = verifyHealthy().check(Kind.AUTHENTICATION);

        assertThat(auth.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(auth.reason()).contains("role is too low");
        assertThat(auth.fix()).contains("App Manager");
        assertThat(auth.cause()).isEqualTo(Diagnosis.Kind.ROLE_TOO_LOW);
    }

    @Test
    void an_individual_key_cannot_reach_certificates() {
        key.individual(true);
        healthyAccount();

        VerificationReport report = verifyHealthy();

        var provisioning = report.check(Kind.PROVISIONING);
        assertThat(provisioning.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(provisioning.reason()).contains("cannot read certificates");
        assertThat(provisioning.fix()).contains("Team key", "Individual keys cannot use the provisioning endpoints");
        assertThat(report.check(Kind.SLOTS).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(report.verified()).isFalse();
    }

    @Test
    void a_team_id_that_differs_shows_both_values() {
        healthyAccount();

        var team = verify("ZZZZZZZZZZ", null, VENDOR).check(Kind.TEAM);

        assertThat(team.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(team.reason()).contains("ZZZZZZZZZZ", TEAM_ID, TEAM_NAME);
    }

    @Test
    void a_team_name_that_differs_is_named() {
        healthyAccount();
        var team = verify(TEAM_ID, "Acme Holdings", VENDOR).check(Kind.TEAM);
        assertThat(team.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(team.reason()).contains("Acme Holdings", TEAM_NAME);
    }

    @Test
    void without_certificates_the_team_is_read_from_bundle_ids() {
        account.addBundleId("com.acme.rewards", "Rewards");
        var team = verify(TEAM_ID, TEAM_NAME, null).check(Kind.TEAM);
        assertThat(team.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(team.reason()).contains(TEAM_ID, "bundle IDs");
    }

    @Test
    void with_neither_certificates_nor_bundle_ids_the_team_cannot_be_told() {
        var team = verify(TEAM_ID, TEAM_NAME, null).check(Kind.TEAM);
        assertThat(team.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(team.reason()).contains("could not tell");
    }

    @Test
    void a_ticket_without_team_id_is_told_the_accounts() {
        healthyAccount();
        var team = verify(null, null, VENDOR).check(Kind.TEAM);
        assertThat(team.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(team.fix()).contains("Add Team ID " + TEAM_ID);
    }

    @Test
    void full_slots_list_the_certificates_and_say_what_the_customer_can_do() {
        for (int i = 1; i <= 3; i++) {
            account.addCertificate("Distribution " + i, FakeAsc.CertificateType.DISTRIBUTION,
                    clock.instant().plus(Duration.ofDays(30 * i)));
        }
        account.addCertificate("Expired one", FakeAsc.CertificateType.DISTRIBUTION,
                clock.instant().minus(Duration.ofDays(1)));

        VerificationReport report = verify(TEAM_ID, TEAM_NAME, null);

        var slots = report.check(Kind.SLOTS);
        assertThat(slots.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(slots.reason()).contains("all 3", "Distribution 1", "Distribution 3", "expires",
                "1 expired, not counted (Apple Distribution: Acme Inc. (Expired one), expired");
        assertThat(slots.fix()).contains("revoke one", "keep working");
        assertThat(slots.cause()).isEqualTo(Diagnosis.Kind.SLOTS_FULL);
        assertThat(report.slots()).hasSize(4).filteredOn(VerificationReport.Slot::expired).hasSize(1);
        assertThat(report.census().used()).isEqualTo(3);
        assertThat(report.freeSlots()).isZero();
    }

    @Test
    void the_vendor_user_check_covers_each_state() {
        assertThat(verify(TEAM_ID, TEAM_NAME, null).check(Kind.VENDOR_USER))
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.UNKNOWN))
                .satisfies(c -> assertThat(c.reason()).contains("VENDOR_APPLE_ID"));

        assertThat(verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER).reason())
                .contains("is not a user of this account");

        account.addInvitation(VENDOR, List.of(FakeAsc.Role.DEVELOPER, FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION),
                true);
        var pending = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);
        assertThat(pending.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(pending.reason()).contains("invited but has not accepted", "the invitation expires", "(in 3 days)");

        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER), false);
        var lacking = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);
        assertThat(lacking.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(lacking.reason()).contains("Access to Certificates, Identifiers & Profiles",
                "Access to Cloud Managed Distribution Certificate");

        key.forbidUsers(true);
        var forbidden = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);
        assertThat(forbidden.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(forbidden.fix()).contains("Confirm access granted");
    }

    @Test
    void an_admin_vendor_user_passes_step_one_by_role_alone() {
        account.addAdmin(VENDOR, "Build", "Bot");

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(vendor.reason()).contains("is an Admin", "come with the role");
    }

    @Test
    void an_account_holder_passes_step_one_even_without_provisioning_allowed() {
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.ACCOUNT_HOLDER), false);

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(vendor.reason()).contains("the Account Holder");
    }

    @Test
    void a_role_that_cannot_have_certificate_access_is_named() {
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.FINANCE), false);

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(vendor.reason()).contains("FINANCE", "cannot have access to certificates");
        assertThat(vendor.fix()).contains("Developer or App Manager role");
    }

    @Test
    void a_lapsed_invitation_must_be_sent_again() {
        account.addInvitation(VENDOR, List.of(FakeAsc.Role.DEVELOPER, FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION),
                true);
        clock.advance(Duration.ofDays(3).plusMinutes(1));

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(vendor.reason()).contains("the invitation expired", "lapse after 3 days");
        assertThat(vendor.fix()).contains("re-send the invitation");
    }

    @Test
    void a_pending_invitation_without_the_grants_says_what_to_tick_once_accepted() {
        account.addInvitation(VENDOR, List.of(FakeAsc.Role.DEVELOPER), false);

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.fix()).contains("accept the App Store Connect invitation", "The invitation lacks",
                "Access to Certificates, Identifiers & Profiles", "Access to Cloud Managed Distribution Certificate");
    }

    @Test
    void invitations_the_key_may_not_read_cannot_be_told() {
        asc.failNext("/v1/userInvitations", 1, FakeAsc.Fault.forbidden());

        var vendor = verify(TEAM_ID, TEAM_NAME, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(vendor.reason()).contains("could not tell", "invitations");
        assertThat(vendor.fix()).contains("Confirm access granted");
    }

    @Test
    void pacing_reads_every_x_rate_limit_line_not_only_the_last() {
        healthyAccount();
        // Minute line first: a client reading one header value would see only the comfortable hourly one.
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(200, Recorded.body("apps-list.json"))
                .withHeader("X-Rate-Limit", "user-minute-lim:150;user-minute-rem:8;")
                .withHeader("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3500;"));

        assertThat(verifyHealthy().verified()).isTrue();

        assertThat(waits).as("the next call spaced by a minute's even share").startsWith(Duration.ofMillis(400));
    }

    @Test
    void the_fakes_two_rate_limit_lines_pace_when_the_minute_runs_low() {
        healthyAccount();
        key.minuteLimit(12);

        assertThat(verifyHealthy().verified()).isTrue();

        assertThat(waits).as("12 a minute: 5 s apart").contains(Duration.ofSeconds(5));
    }

    @Test
    void a_single_spurious_401_does_not_fail_verification() {
        healthyAccount();
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.unauthorized());

        VerificationReport report = verifyHealthy();

        assertThat(report.verified()).isTrue();
        assertThat(asc.distinctTokens()).as("the retry used a freshly signed token").isEqualTo(2);
    }

    @Test
    void rate_limiting_is_waited_out_as_apple_asks() {
        healthyAccount();
        asc.failNext("/v1/certificates", 2, FakeAsc.Fault.rateLimited(7));

        VerificationReport report = verifyHealthy();

        assertThat(report.verified()).isTrue();
        assertThat(waits).contains(Duration.ofSeconds(7), Duration.ofSeconds(7));
    }

    @Test
    void server_errors_are_retried_within_bounds_then_reported() {
        asc.failAlways("/v1/apps", FakeAsc.Fault.serverError());

        VerificationReport report = verifyHealthy();

        var auth = report.check(Kind.AUTHENTICATION);
        assertThat(auth.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(auth.reason()).contains("could not tell", "UNEXPECTED_ERROR");
        assertThat(asc.requests("/v1/apps")).hasSize(4);
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(10)));
    }

    @Test
    void a_wait_longer_than_the_budget_is_not_taken() {
        asc.failAlways("/v1/apps", FakeAsc.Fault.rateLimited(3600));

        var auth = verifyHealthy().check(Kind.AUTHENTICATION);

        assertThat(auth.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(auth.reason()).contains("RATE_LIMIT_EXCEEDED");
        assertThat(waits).isEmpty();
    }

    @Test
    void dropped_connections_and_timeouts_are_retried() {
        healthyAccount();
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.disconnect());
        asc.failNext("/v1/certificates", 1, FakeAsc.Fault.slow(Duration.ofSeconds(4)));

        assertThat(verifyHealthy().verified()).isTrue();
    }

    @Test
    void an_answer_that_is_not_json_is_reported_not_thrown() {
        asc.failAlways("/v1/apps", FakeAsc.Fault.malformedJson());
        var auth = verifyHealthy().check(Kind.AUTHENTICATION);
        assertThat(auth.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(auth.reason()).contains("could not tell");
    }

    @Test
    void one_token_serves_a_verification_and_is_renewed_near_expiry() {
        healthyAccount();
        verifyHealthy();
        assertThat(asc.requestCount()).as("apps, certificates, users").isGreaterThanOrEqualTo(3);
        assertThat(asc.distinctTokens()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(10));
        verifyHealthy();
        assertThat(asc.distinctTokens()).as("still within its 15 minutes").isEqualTo(1);

        clock.advance(Duration.ofMinutes(6));
        assertThat(verifyHealthy().verified()).isTrue();
        assertThat(asc.distinctTokens()).isEqualTo(2);
    }

    @Test
    void the_report_reads_as_the_thread_shows_it() {
        account.revokeKey(KEY_ID);
        String text = ReportText.describe(verifyHealthy());
        assertThat(text).startsWith("verification: ❌ 1 problem to fix");
        assertThat(text).contains("❌ Apple accepts the key — Apple rejected the key", "↳ Key ID, Issuer ID and .p8");
    }

    @Test
    void near_the_hourly_limit_calls_are_spaced_out() {
        healthyAccount();
        key.hourlyLimit(12);

        assertThat(verifyHealthy().verified()).isTrue();

        assertThat(waits).as("the third call saw 10 of 12 left").contains(Duration.ofSeconds(5));
    }
}
