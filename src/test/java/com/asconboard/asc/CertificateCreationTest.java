package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.certs.SigningRequest;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.MutableClock;
import com.google.gson.JsonParser;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/certificates} as Apple is sent it (a PEM request) and as it answers (dates, refusals). */
class CertificateCreationTest {
    static final String ISSUER = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
    static final String KEY_ID = "CREATE0001";
    static final String TEAM_ID = "H4RB0UR001";

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    FakeAsc fake;
    FakeAsc.Account account;
    AppStoreConnect asc;

    @BeforeEach
    void setUp() {
        fake = new FakeAsc(clock);
        account = fake.addAccount(TEAM_ID, "Harbour Apps Ltd");
        KeyPair pair = TestKeys.ecP256();
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        asc = new AscConnector(AscClient.defaultHttp(), fake.url(), clock,
                new AscClient.Retries(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)), d -> { })
                .open(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate()));
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void the_signing_request_goes_to_apple_pem_armoured() throws Exception {
        SigningRequest request = SigningRequest.create("ASC Onboard", TEAM_ID);

        AscCertificate created = asc.createDistributionCertificate(request.csrPem());

        String sent = sentCsr();
        assertThat(sent).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
                .endsWith("-----END CERTIFICATE REQUEST-----\n");
        assertThat(sent.lines().filter(l -> !l.startsWith("-----"))).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(64));
        assertThat(created.expires()).as("Apple's +0000 date read")
                .isEqualTo(account.certificates().get(0).expirationDate());
        assertThat(AscCertificate.x509(created.content()).getPublicKey()).isEqualTo(request.keyPair().getPublic());
    }

    @Test
    void a_bare_base64_request_is_armoured_before_it_goes() throws Exception {
        SigningRequest request = SigningRequest.create("ASC Onboard", null);

        asc.createDistributionCertificate(request.csrBase64());

        assertThat(sentCsr()).isEqualTo(request.csrPem());
        assertThatThrownBy(() -> asc.createDistributionCertificate("not a request!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither PEM nor base64 DER");
    }

    @Test
    void full_slots_are_explained_with_the_certificates_read_from_the_account() {
        Instant now = clock.instant();
        account.addCertificate("Kiosk build Mac", FakeAsc.CertificateType.DISTRIBUTION, now.plus(Duration.ofDays(90)));
        account.addCertificate("Agency", FakeAsc.CertificateType.IOS_DISTRIBUTION, now.plus(Duration.ofDays(200)));
        account.addCertificate("Old CI", FakeAsc.CertificateType.DISTRIBUTION, now.minus(Duration.ofDays(2)));
        account.addCertificate("CI", FakeAsc.CertificateType.DISTRIBUTION, now.plus(Duration.ofDays(20)));

        AscException refusal = refusal(SigningRequest.create("ASC Onboard", TEAM_ID));
        String text = CertificateRefusal.explain(asc, refusal, now);

        assertThat(Diagnosis.of(refusal).kind()).isEqualTo(Diagnosis.Kind.SLOTS_FULL);
        assertThat(text).startsWith("all 3 distribution-certificate slots are in use")
                .contains("(Kiosk build Mac)", "(Agency)", "(CI)", "(Old CI) (DISTRIBUTION, expired", "must revoke one")
                .as("no slot free: nothing to say of a pending request")
                .doesNotContain("Apple counts a pending certificate request too");
    }

    @Test
    void a_membership_lapse_at_creation_is_the_account_holders() {
        account.block(FakeAsc.Block.MEMBERSHIP_LAPSED);

        AscException refusal = refusal(SigningRequest.create("ASC Onboard", TEAM_ID));

        assertThat(CertificateRefusal.explain(asc, refusal, clock.instant()))
                .contains("Account Holder must renew the Apple Developer Program", "Create certificate");
        assertThat(fake.requests("/v1/certificates")).as("no list read for a refusal that is not about slots")
                .hasSize(1);
    }

    private AscException refusal(SigningRequest request) {
        try {
            asc.createDistributionCertificate(request.csrPem());
        } catch (AscException e) {
            return e;
        }
        throw new AssertionError("Apple was expected to refuse");
    }

    private String sentCsr() {
        List<FakeAsc.Request> posts = fake.requests("/v1/certificates").stream()
                .filter(r -> r.method().equals("POST")).toList();
        return JsonParser.parseString(posts.get(posts.size() - 1).body()).getAsJsonObject().getAsJsonObject("data")
                .getAsJsonObject("attributes").get("csrContent").getAsString();
    }
}
