package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.VerificationReport.Check;
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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The words of each check in the states the other verifier tests pass over: an account without apps, checks
 * skipped for a rejected key or an unreachable service, a Team ID read from either source, lookups that list
 * someone else, an invitation's remaining time in hours, a spurious 401 with a single attempt allowed.
 */
class VerifierWordsTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String KEY_ID = "WORDKEY001";
    static final String TEAM_ID = "W1B2C3D4E5";
    static final String VENDOR = "builds@vendor.example";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    FakeAsc asc;
    FakeAsc.Account account;
    KeyPair pair;

    @BeforeEach
    void setUp() {
        asc = new FakeAsc(clock);
        account = asc.addAccount(TEAM_ID, "Words Ltd");
        pair = TestKeys.ecP256();
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
    }

    AppStoreConnect connect(int attempts) {
        AscTokens tokens = new AscTokens(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate()), clock);
        return new AppStoreConnect(new AscClient(AscClient.defaultHttp(), asc.url(), tokens,
                new AscClient.Retries(attempts, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(5)),
                d -> { }));
    }

    VerificationReport verify(String teamId, String vendor) {
        return new Verifier().verify(connect(2), new Verifier.Claims(teamId, null, vendor, Set.of()), clock.instant());
    }

    void certificate() {
        account.addCertificate("Apple Distribution: Words Ltd", FakeAsc.CertificateType.DISTRIBUTION,
                clock.instant().plus(Duration.ofDays(90)));
    }

    @Test
    void an_account_without_apps_is_said_to_have_none_yet() {
        assertThat(verify(TEAM_ID, null).check(Kind.AUTHENTICATION).reason())
                .isEqualTo("Apple accepted the key (the account has no apps yet)");
        account.addApp("Words App", "com.words.app");
        assertThat(verify(TEAM_ID, null).check(Kind.AUTHENTICATION).reason()).isEqualTo("Apple accepted the key");
    }

    @Test
    void checks_after_a_rejected_key_or_no_answer_say_why_they_were_skipped() {
        asc.failAlways("/v1/apps", FakeAsc.Fault.unauthorized());
        assertThat(verify(TEAM_ID, VENDOR).checks()).filteredOn(c -> c.kind() != Kind.AUTHENTICATION)
                .hasSize(4).extracting(Check::reason).containsOnly("skipped: Apple did not accept the key");

        asc.clearFaults();
        asc.failAlways("/v1/apps", FakeAsc.Fault.disconnect());
        VerificationReport unreachable = verify(TEAM_ID, VENDOR);
        assertThat(unreachable.check(Kind.AUTHENTICATION).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(unreachable.checks()).filteredOn(c -> c.kind() != Kind.AUTHENTICATION)
                .extracting(Check::reason).containsOnly("skipped: App Store Connect could not be reached");
    }

    @Test
    void a_single_spurious_401_is_retried_even_when_one_attempt_is_allowed() throws Exception {
        account.addApp("Words App", "com.words.app");
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.unauthorized());

        assertThat(connect(1).appsVisible()).isEqualTo(1);
        assertThat(asc.requests("/v1/apps")).hasSize(2);
    }

    @Test
    void a_ticket_without_team_id_is_told_the_accounts_with_its_name_when_a_certificate_gives_it() {
        certificate();
        Check fromCertificate = verify(null, null).check(Kind.TEAM);
        assertThat(fromCertificate.reason()).isEqualTo("the ticket has no Team ID; the account's is " + TEAM_ID
                + " (Words Ltd)");
        assertThat(fromCertificate.fix()).isEqualTo("Add Team ID " + TEAM_ID + " with Edit details.");
    }

    @Test
    void a_team_id_read_from_bundle_ids_has_no_name() {
        account.addBundleId("com.words.app", "Words App");

        assertThat(verify(null, null).check(Kind.TEAM).reason())
                .isEqualTo("the ticket has no Team ID; the account's is " + TEAM_ID);
        assertThat(verify(TEAM_ID, null).check(Kind.TEAM).reason())
                .isEqualTo("the key belongs to Team ID " + TEAM_ID + ", as read from its bundle IDs");
    }

    @Test
    void unreadable_bundle_ids_after_readable_certificates_leave_the_team_untold_for_want_of_data() {
        asc.failAlways("/v1/bundleIds", FakeAsc.Fault.serverError());

        Check team = verify(TEAM_ID, null).check(Kind.TEAM);

        assertThat(team.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(team.reason()).isEqualTo("could not tell: the account has no distribution certificates or bundle "
                + "IDs to read its Team ID from");
    }

    @Test
    void users_and_invitations_of_someone_else_are_not_the_vendors() {
        asc.failAlways("/v1/users", FakeAsc.Fault.recorded(200,
                Recorded.body("users-admin.json").replace(VENDOR, "someone@else.example")));
        asc.failAlways("/v1/userInvitations", FakeAsc.Fault.recorded(200,
                Recorded.body("user-invitations-pending.json").replace(VENDOR, "someone@else.example")));

        Check vendor = verify(TEAM_ID, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(vendor.reason()).isEqualTo(VENDOR + " is not a user of this account");
    }

    @Test
    void an_invitation_without_an_email_is_taken_as_the_vendors() {
        asc.failAlways("/v1/userInvitations", FakeAsc.Fault.recorded(200, Recorded.body("user-invitations-pending.json")
                .replace("\"email\" : \"" + VENDOR + "\",", "")
                .replace("2026-09-02T16:30:00.000+0000", AppleDatesText.of(clock.instant().plus(Duration.ofDays(2))))));

        assertThat(verify(TEAM_ID, VENDOR).check(Kind.VENDOR_USER).reason())
                .startsWith(VENDOR + " is invited but has not accepted yet");
    }

    @Test
    void an_invitation_whose_expiry_apple_does_not_give_says_so() {
        asc.failAlways("/v1/userInvitations", FakeAsc.Fault.recorded(200, Recorded.body("user-invitations-pending.json")
                .replace("\"expirationDate\" : \"2026-09-02T16:30:00.000+0000\",", "")));

        VerificationReport report = verify(TEAM_ID, VENDOR);

        assertThat(report.check(Kind.VENDOR_USER).reason()).isEqualTo(VENDOR + " is invited but has not accepted yet "
                + "(when the invitation expires is unknown: Apple's date could not be read)");
        assertThat(report.invitation()).isEqualTo(new VerificationReport.Invitation(VENDOR, null));
    }

    @Test
    void an_invitation_expiring_within_a_day_counts_hours_then_says_less_than_an_hour() {
        assertThat(pendingFor(Duration.ofHours(23).plusMinutes(59))).endsWith("(in 23 hours)");
        assertThat(pendingFor(Duration.ofHours(1).plusMinutes(30))).endsWith("(in 1 hour)");
        assertThat(pendingFor(Duration.ofMinutes(59))).endsWith("(in less than an hour)");
        assertThat(pendingFor(Duration.ofHours(24))).endsWith("(in 1 day)");
        assertThat(pendingFor(Duration.ofHours(49))).endsWith("(in 2 days)");
    }

    String pendingFor(Duration left) {
        asc.clearFaults();
        String body = Recorded.body("user-invitations-pending.json").replace("2026-09-02T16:30:00.000+0000",
                AppleDatesText.of(clock.instant().plus(left)));
        asc.failAlways("/v1/userInvitations", FakeAsc.Fault.recorded(200, body));
        return verify(TEAM_ID, VENDOR).check(Kind.VENDOR_USER).reason();
    }

    @Test
    void users_that_cannot_be_read_for_another_reason_than_a_refusal_cannot_be_told() {
        asc.failAlways("/v1/users", FakeAsc.Fault.serverError());

        Check vendor = verify(TEAM_ID, VENDOR).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(vendor.reason()).startsWith("could not tell: App Store Connect answered UNEXPECTED_ERROR");
        assertThat(vendor.cause()).isEqualTo(Diagnosis.Kind.APPLE_FAILED);
    }

    /** Dates as Apple writes them. */
    static final class AppleDatesText {
        static String of(Instant instant) {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                    .withZone(java.time.ZoneOffset.UTC).format(instant);
        }
    }
}
