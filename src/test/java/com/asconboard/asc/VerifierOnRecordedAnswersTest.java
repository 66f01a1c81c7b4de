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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier over HTTP against answers of the recorded shapes (users, invitations, certificate lists),
 * replayed by the fake on a clock set to the day they describe.
 */
class VerifierOnRecordedAnswersTest {
    static final String ISSUER = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
    static final String KEY_ID = "RECORDED01";
    static final String TEAM_ID = "H4RB0UR001";
    static final String VENDOR = "builds@vendor.example";

    final MutableClock clock = new MutableClock(Instant.parse("2026-09-01T00:00:00Z"));
    FakeAsc fake;
    AscConnector connector;
    KeyPair pair;

    @BeforeEach
    void setUp() {
        fake = new FakeAsc(clock);
        FakeAsc.Account account = fake.addAccount(TEAM_ID, "Harbour Apps Ltd");
        pair = TestKeys.ecP256();
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addBundleId("com.harbourapps.rewards", "Rewards");
        connector = new AscConnector(AscClient.defaultHttp(), fake.url(), clock,
                new AscClient.Retries(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)), d -> { });
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    VerificationReport verify(Set<String> vendorSerials) {
        return new Verifier().verify(connector.open(new AscCredentials(ISSUER, KEY_ID,
                (ECPrivateKey) pair.getPrivate())), new Verifier.Claims(TEAM_ID, null, VENDOR, vendorSerials),
                clock.instant());
    }

    void answer(String path, String recorded) {
        fake.failNext("GET", path, 1, FakeAsc.Fault.recorded(200, Recorded.body(recorded)));
    }

    @Test
    void an_admin_listed_with_the_admin_role_alone_passes_step_one() {
        answer("/v1/users", "users-admin.json");

        var vendor = verify(Set.of()).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(vendor.reason()).contains(VENDOR, "is an Admin");
    }

    @Test
    void a_developer_without_the_cloud_managed_role_is_told_what_to_tick() {
        answer("/v1/users", "users-developer-without-cloud-role.json");

        var vendor = verify(Set.of()).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(vendor.reason()).contains("lacks Access to Cloud Managed Distribution Certificate")
                .doesNotContain("Identifiers & Profiles");
    }

    @Test
    void a_pending_invitation_shows_when_it_lapses() {
        answer("/v1/users", "users-empty.json");
        answer("/v1/userInvitations", "user-invitations-pending.json");

        var vendor = verify(Set.of()).check(Kind.VENDOR_USER);

        assertThat(vendor.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(vendor.reason()).contains("invited but has not accepted yet",
                "the invitation expires 2026-09-02 16:30 UTC (in 1 day)");
        assertThat(vendor.fix()).contains("before it expires").doesNotContain("lacks");
    }

    @Test
    void a_lapsed_invitation_is_to_be_sent_again() {
        answer("/v1/users", "users-empty.json");
        answer("/v1/userInvitations", "user-invitations-expired.json");

        var vendor = verify(Set.of()).check(Kind.VENDOR_USER);

        assertThat(vendor.reason()).contains("the invitation expired 2026-08-27 without being accepted");
        assertThat(vendor.fix()).contains("re-send the invitation to " + VENDOR);
    }

    @Test
    void without_user_or_invitation_the_vendor_must_be_invited() {
        answer("/v1/users", "users-empty.json");
        answer("/v1/userInvitations", "user-invitations-empty.json");

        var vendor = verify(Set.of()).check(Kind.VENDOR_USER);

        assertThat(vendor.reason()).contains("is not a user of this account");
        assertThat(vendor.fix()).startsWith("Invite " + VENDOR);
    }

    @Test
    void a_recorded_certificate_list_is_counted_by_expiry_and_type() {
        answer("/v1/certificates", "certificates-list.json");

        VerificationReport report = verify(Set.of());

        var slots = report.check(Kind.SLOTS);
        assertThat(slots.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(slots.reason()).contains("all 3", "1 expired, not counted", "expiry unknown");
        assertThat(report.slots()).hasSize(4);
        assertThat(report.check(Kind.TEAM).reason()).as("placeholder contents hold no subject; bundle IDs do")
                .contains(TEAM_ID, "bundle IDs");
    }

    @Test
    void the_vendors_own_certificate_in_a_recorded_list_is_recognised() {
        answer("/v1/certificates", "certificates-list.json");

        var slots = verify(Set.of("5d20b7e94a1c3f86")).check(Kind.SLOTS);

        assertThat(slots.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(slots.reason()).startsWith("3 of 3 in use, one of them the vendor's certificate");
    }
}
