package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.AscClient;
import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.Diagnosis;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.Verifier;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.MutableClock;
import com.asconboard.ticket.TicketDetails;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the customer's page makes of real verification reports: each of Apple's refusals, a key of another team, an
 * Apple that cannot be asked, and what is left for the customer once the key works.
 */
class VerdictTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String KEY_ID = "KEY0000001";
    static final String TEAM_ID = "A1B2C3D4E5";
    static final String TEAM_NAME = "Acme Inc.";
    static final String VENDOR = "builds@vendor.example";

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    FakeAsc asc;
    FakeAsc.Account account;
    KeyPair pair;
    AscConnector connector;

    @BeforeEach
    void setUp() {
        asc = new FakeAsc(clock);
        account = asc.addAccount(TEAM_ID, TEAM_NAME);
        pair = TestKeys.ecP256();
        OkHttpClient http = AscClient.defaultHttp().newBuilder().readTimeout(Duration.ofSeconds(2)).build();
        connector = new AscConnector(http, asc.url(), clock,
                new AscClient.Retries(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)), d -> { });
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
    }

    VerificationReport verify(FakeAsc.Role role, String teamId, String teamName) {
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), role);
        return verifyAgain(teamId, teamName);
    }

    VerificationReport verifyAgain(String teamId, String teamName) {
        return new Verifier().verify(connector.open(new AscCredentials(ISSUER, KEY_ID,
                (ECPrivateKey) pair.getPrivate())), new Verifier.Claims(teamId, teamName, VENDOR, Set.of()),
                clock.instant());
    }

    /** An answer recorded from Apple (src/test/resources/com/asconboard/asc/recorded). */
    static String recorded(String name) throws java.io.IOException {
        try (var in = VerdictTest.class.getResourceAsStream("/com/asconboard/asc/recorded/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    void certificates(int count) {
        for (int i = 0; i < count; i++) {
            account.addCertificate("Apple Distribution: " + TEAM_NAME + " " + i, FakeAsc.CertificateType.DISTRIBUTION,
                    clock.instant().plus(Duration.ofDays(200)));
        }
    }

    void vendorInvitedAndAccepted() {
        account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
    }

    @Test
    void a_key_that_works_with_nothing_left_to_do() {
        certificates(1);
        vendorInvitedAndAccepted();

        VerificationReport report = verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME);

        assertThat(Verdict.of(report)).isEqualTo(new Verdict.Reading(Verdict.VERIFIED, null));
        assertThat(StillToDo.of(report)).isEmpty();
    }

    @Test
    void a_key_that_works_lists_what_the_customer_still_has_to_do() {
        certificates(3);

        VerificationReport report = verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME);

        assertThat(Verdict.of(report).verdict()).isEqualTo(Verdict.VERIFIED);
        assertThat(StillToDo.of(report)).containsExactly(StillToDo.INVITE_VENDOR_USER, StillToDo.FREE_SLOT);
    }

    @Test
    void an_invitation_waiting_for_the_vendor_is_nothing_for_the_customer_to_do() {
        certificates(1);
        account.addInvitation(VENDOR, List.of(FakeAsc.Role.DEVELOPER), true);

        VerificationReport report = verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME);

        assertThat(StillToDo.of(report)).containsExactly(StillToDo.VENDOR_ACCEPTS_INVITATION);
        assertThat(StillToDo.VENDOR_ACCEPTS_INVITATION.isTask()).isFalse();
    }

    @Test
    void a_key_that_cannot_reach_the_certificates_has_a_role_too_low() {
        certificates(1);

        assertThat(Verdict.of(verify(FakeAsc.Role.SALES, TEAM_ID, TEAM_NAME)).verdict())
                .isEqualTo(Verdict.ROLE_TOO_LOW);
    }

    @Test
    void a_key_apple_does_not_know_is_rejected() {
        account.addKey("OTHERKEY01", ISSUER, (ECPublicKey) TestKeys.ecP256().getPublic(), FakeAsc.Role.APP_MANAGER);
        assertThat(Verdict.of(verifyAgain(TEAM_ID, TEAM_NAME)).verdict()).isEqualTo(Verdict.KEY_REJECTED);
    }

    @Test
    void a_lapsed_membership_and_a_missing_agreement_are_told_apart() {
        account.block(FakeAsc.Block.MEMBERSHIP_LAPSED);
        assertThat(Verdict.of(verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME)).verdict())
                .isEqualTo(Verdict.MEMBERSHIP_LAPSED);
        account.block(FakeAsc.Block.AGREEMENT_MISSING);
        assertThat(Verdict.of(verifyAgain(TEAM_ID, TEAM_NAME)).verdict()).isEqualTo(Verdict.AGREEMENT_MISSING);
    }

    @Test
    void an_unknown_refusal_keeps_apples_words_made_safe() throws Exception {
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.recorded(403, recorded("error-403-unknown.json")));

        Verdict.Reading reading = Verdict.of(verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME));

        assertThat(reading.verdict()).isEqualTo(Verdict.FORBIDDEN_OTHER);
        assertThat(reading.detail()).contains("Access to this resource is restricted").doesNotContain("HTTP 403", "eyJ");
    }

    @Test
    void a_key_of_another_team_is_rejected_but_a_team_name_spelled_differently_is_not() {
        certificates(1);
        vendorInvitedAndAccepted();

        assertThat(Verdict.of(verify(FakeAsc.Role.APP_MANAGER, "ZZZZZZZZZZ", null)).verdict())
                .isEqualTo(Verdict.WRONG_TEAM);
        assertThat(Verdict.of(verifyAgain(TEAM_ID, "Acme Incorporated")).verdict())
                .as("the key is right; the vendor corrects the name").isEqualTo(Verdict.VERIFIED);
    }

    @Test
    void an_apple_that_cannot_be_asked_leaves_the_key_unconfirmed() {
        asc.failNext("/v1/apps", 5, FakeAsc.Fault.unavailable());

        assertThat(Verdict.of(verify(FakeAsc.Role.APP_MANAGER, TEAM_ID, TEAM_NAME)).verdict())
                .isEqualTo(Verdict.UNCONFIRMED);
    }

    @Test
    void only_rejections_reopen_a_link() {
        assertThat(List.of(Verdict.values())).filteredOn(Verdict::rejects)
                .doesNotContain(Verdict.VERIFIED, Verdict.UNCONFIRMED).hasSize(Verdict.values().length - 2);
    }

    static VerificationReport report(Check... checks) {
        return new VerificationReport(Instant.EPOCH, List.of(checks), List.of());
    }

    static Check passed(Kind kind) {
        return new Check(kind, Outcome.PASSED, "fine", null);
    }

    @Test
    void a_team_apple_could_not_be_asked_about_leaves_the_key_unconfirmed_but_a_team_without_certificates_does_not() {
        Check unreachable = new Check(Kind.TEAM, Outcome.UNKNOWN, "could not tell: App Store Connect did not answer",
                null, Diagnosis.Kind.UNREACHABLE);
        Check noCertificates = new Check(Kind.TEAM, Outcome.UNKNOWN, "could not tell: the account has no "
                + "distribution certificate", null);

        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.PROVISIONING), unreachable)))
                .isEqualTo(new Verdict.Reading(Verdict.UNCONFIRMED, null));
        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.PROVISIONING), noCertificates)))
                .isEqualTo(new Verdict.Reading(Verdict.VERIFIED, null));
    }

    @Test
    void a_key_is_verified_only_when_it_authenticates_and_reaches_the_certificates() {
        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.PROVISIONING), passed(Kind.TEAM)))
                .verdict()).isEqualTo(Verdict.VERIFIED);
        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.TEAM))).verdict())
                .as("certificates not checked").isEqualTo(Verdict.UNCONFIRMED);
        assertThat(Verdict.of(report(passed(Kind.PROVISIONING), passed(Kind.TEAM))).verdict())
                .as("authentication not checked").isEqualTo(Verdict.UNCONFIRMED);
        Check failedWithoutCause = new Check(Kind.AUTHENTICATION, Outcome.FAILED, "odd", null);
        assertThat(Verdict.of(report(failedWithoutCause, passed(Kind.PROVISIONING))).verdict())
                .as("a failure Apple gave no reason for rejects nothing").isEqualTo(Verdict.UNCONFIRMED);
        Check failedForAnOutage = new Check(Kind.PROVISIONING, Outcome.FAILED, "down", null,
                Diagnosis.Kind.APPLE_FAILED);
        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), failedForAnOutage)).verdict())
                .as("an outage is not the key's fault").isEqualTo(Verdict.UNCONFIRMED);
    }

    @Test
    void a_failed_team_check_rejects_the_key_only_when_it_found_another_team() {
        Check otherTeam = new Check(Kind.TEAM, Outcome.FAILED, "the ticket says Team ID ZZZZZZZZZZ, "
                + Verdict.OTHER_TEAM + " A1B2C3D4E5", null);
        Check otherName = new Check(Kind.TEAM, Outcome.FAILED, "Team ID A1B2C3D4E5 matches, but Apple calls the "
                + "team \"Acme Inc.\"", null);

        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.PROVISIONING), otherTeam)))
                .isEqualTo(new Verdict.Reading(Verdict.WRONG_TEAM, null));
        assertThat(Verdict.of(report(passed(Kind.AUTHENTICATION), passed(Kind.PROVISIONING), otherName)).verdict())
                .isEqualTo(Verdict.VERIFIED);
    }

    @Test
    void apples_words_are_taken_from_inside_the_status_of_a_refusal() {
        assertThat(Verdict.appleWords("Apple refused the request (HTTP 403, The key may not do this)"))
                .isEqualTo("The key may not do this");
        assertThat(Verdict.appleWords("(HTTP 403, Access is restricted)")).as("the status opens the reason")
                .isEqualTo("Access is restricted");
        assertThat(Verdict.appleWords("Apple refused the request (HTTP 403, no closing bracket"))
                .as("not the usual shape: the whole reason").isEqualTo("Apple refused the request (HTTP 403, no "
                        + "closing bracket");
        assertThat(Verdict.appleWords("Apple said no (for a reason)")).isEqualTo("Apple said no (for a reason)");
        assertThat(Verdict.appleWords(null)).isEmpty();
    }

    @Test
    void the_expected_team_is_named_by_what_the_ticket_knows_of_it() {
        assertThat(Verdict.team(new TicketDetails("Acme", TEAM_NAME, TEAM_ID, null, null)))
                .isEqualTo("Acme Inc. (A1B2C3D4E5)");
        assertThat(Verdict.team(new TicketDetails("Acme", null, TEAM_ID, null, null))).isEqualTo(TEAM_ID);
        assertThat(Verdict.team(new TicketDetails("Acme", TEAM_NAME, null, null, null))).isEqualTo(TEAM_NAME);
        assertThat(Verdict.WRONG_TEAM.headline(new TicketDetails("Acme", null, TEAM_ID, null, null)))
                .isEqualTo("the key belongs to another team than A1B2C3D4E5");
    }

    @Test
    void nothing_is_left_to_do_without_a_report_and_each_thing_left_has_its_own_words_for_the_thread() {
        assertThat(StillToDo.of(null)).isEmpty();
        assertThat(StillToDo.INVITE_VENDOR_USER.english()).isEqualTo("invite the vendor user with certificate access");
        assertThat(StillToDo.VENDOR_ACCEPTS_INVITATION.english())
                .isEqualTo("nothing (the vendor user's invitation waits to be accepted)");
        assertThat(StillToDo.FREE_SLOT.english()).isEqualTo("free a distribution-certificate slot");
        assertThat(List.of(StillToDo.values())).filteredOn(StillToDo::isTask)
                .containsExactly(StillToDo.INVITE_VENDOR_USER, StillToDo.FREE_SLOT);
    }
}
