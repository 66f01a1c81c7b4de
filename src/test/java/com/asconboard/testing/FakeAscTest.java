package com.asconboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc.Account;
import com.asconboard.testing.FakeAsc.CertificateType;
import com.asconboard.testing.FakeAsc.Fault;
import com.asconboard.testing.FakeAsc.Rejection.Reason;
import com.asconboard.testing.FakeAsc.Role;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeAscTest {

    private static final String TEAM_ID = "ABCDE12345";
    private static final String TEAM_NAME = "Example Apps, Inc.";
    private static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    private static final String KEY_ID = "KEY1234567";
    private static final String UNAUTHORIZED_BODY = "{\"errors\":[{\"status\":\"401\",\"code\":\"NOT_AUTHORIZED\","
            + "\"title\":\"Authentication credentials are missing or invalid.\",\"detail\":\"Provide a properly "
            + "configured and signed bearer token, and make sure that it has not expired. Learn more about Generating "
            + "Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens\"}]}";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final DateTimeFormatter APPLE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    // One RSA key for all CSRs keeps the suite fast; tests needing a distinct key make their own.
    private static final KeyPair CSR_KEYS = TestKeys.rsa2048();

    private final MutableClock clock = MutableClock.startingNow();
    private final KeyPair keys = TestKeys.ecP256();
    private final OkHttpClient http = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(5))
            .build();
    private FakeAsc fake;
    private Account account;

    @BeforeEach
    void start() {
        fake = new FakeAsc(clock);
        account = fake.addAccount(TEAM_ID, TEAM_NAME);
        account.addKey(KEY_ID, ISSUER, (ECPublicKey) keys.getPublic(), Role.APP_MANAGER);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    // ---- tokens

    @Test
    void accepts_a_valid_token_and_answers_in_apples_shape() throws Exception {
        account.addApp("Example", "com.example.app");

        Answer answer = get("/v1/apps", token());

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.headers.get("Content-Type")).isEqualTo("application/json");
        JsonObject json = answer.json();
        JsonObject app = json.getAsJsonArray("data").get(0).getAsJsonObject();
        assertThat(app.get("type").getAsString()).isEqualTo("apps");
        assertThat(app.get("id").getAsString()).matches("\\d{10}");
        assertThat(app.getAsJsonObject("attributes").get("bundleId").getAsString()).isEqualTo("com.example.app");
        assertThat(app.getAsJsonObject("links").get("self").getAsString())
                .isEqualTo(fake.url() + "/v1/apps/" + app.get("id").getAsString());
        assertThat(json.getAsJsonObject("links").get("self").getAsString()).isEqualTo(fake.url() + "/v1/apps");
        JsonObject paging = json.getAsJsonObject("meta").getAsJsonObject("paging");
        assertThat(paging.get("total").getAsInt()).isEqualTo(1);
        assertThat(paging.get("limit").getAsInt()).isEqualTo(20);
        assertThat(fake.lastRejection()).isEmpty();
    }

    @Test
    void an_empty_app_list_is_a_valid_answer() throws Exception {
        Answer answer = get("/v1/apps?limit=1", token());

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.json().getAsJsonArray("data")).isEmpty();
        assertThat(answer.json().getAsJsonObject("meta").getAsJsonObject("paging").get("limit").getAsInt()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("deprecation") // single() is how other JWT libraries' string-valued aud is reproduced
    void accepts_a_single_string_audience_as_well_as_an_array() throws Exception {
        String token = token(b -> b.audience().single("appstoreconnect-v1"));

        assertThat(get("/v1/apps", token).status).isEqualTo(200);
    }

    @Test
    void refuses_hs256() throws Exception {
        Instant now = clock.instant();
        String token = Jwts.builder().header().keyId(KEY_ID).type("JWT").and()
                .issuer(ISSUER).audience().add("appstoreconnect-v1").and()
                .issuedAt(Date.from(now)).expiration(Date.from(now.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(new byte[32]), Jwts.SIG.HS256)
                .compact();

        assertRefused(token, Reason.ALGORITHM);
    }

    @Test
    void refuses_es384() throws Exception {
        String token = token(b -> b.signWith(TestKeys.ecP384().getPrivate(), Jwts.SIG.ES384));

        assertRefused(token, Reason.ALGORITHM);
    }

    @Test
    void refuses_an_unknown_kid() throws Exception {
        assertRefused(token(b -> b.header().keyId("OTHER12345").and()), Reason.UNKNOWN_KEY);
    }

    @Test
    void refuses_a_known_kid_under_another_issuer() throws Exception {
        assertRefused(token(b -> b.issuer("00000000-0000-0000-0000-000000000000")), Reason.UNKNOWN_KEY);
        assertThat(fake.lastRejection().orElseThrow().detail()).contains("not registered under issuer");
    }

    @Test
    @SuppressWarnings("deprecation") // single() gives a plain string aud, the commonest wrong-audience shape
    void refuses_a_wrong_audience() throws Exception {
        assertRefused(token(b -> b.audience().single("appstoreconnect-v2")), Reason.AUDIENCE);
    }

    @Test
    void refuses_a_token_signed_by_another_key() throws Exception {
        assertRefused(token(b -> b.signWith(TestKeys.ecP256().getPrivate(), Jwts.SIG.ES256)), Reason.SIGNATURE);
    }

    @Test
    void refuses_a_der_encoded_signature() throws Exception {
        String[] parts = token().split("\\.");
        byte[] raw = Base64.getUrlDecoder().decode(parts[2]);
        ASN1EncodableVector rs = new ASN1EncodableVector();
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
        rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
        String der = Base64.getUrlEncoder().withoutPadding().encodeToString(new DERSequence(rs).getEncoded());

        assertRefused(parts[0] + "." + parts[1] + "." + der, Reason.SIGNATURE);
        assertThat(fake.lastRejection().orElseThrow().detail()).contains("DER");
    }

    @Test
    void refuses_a_lifetime_over_twenty_minutes() throws Exception {
        Instant now = clock.instant();
        assertRefused(token(b -> b.issuedAt(Date.from(now)).expiration(Date.from(now.plusSeconds(1201)))),
                Reason.LIFETIME_TOO_LONG);
    }

    @Test
    void refuses_an_expired_token_once_the_clock_has_moved_on() throws Exception {
        String token = token();
        assertThat(get("/v1/apps", token).status).isEqualTo(200);

        clock.advance(Duration.ofMinutes(21));

        assertRefused(token, Reason.EXPIRED);
    }

    @Test
    void refuses_a_token_without_exp() throws Exception {
        Instant now = clock.instant();
        String token = Jwts.builder().header().keyId(KEY_ID).type("JWT").and()
                .issuer(ISSUER).audience().add("appstoreconnect-v1").and()
                .issuedAt(Date.from(now))
                .signWith(keys.getPrivate(), Jwts.SIG.ES256)
                .compact();

        assertRefused(token, Reason.NO_EXPIRATION);
    }

    @Test
    void refuses_a_token_without_iat() throws Exception {
        assertRefused(token(b -> b.issuedAt(null)), Reason.NO_ISSUED_AT);
    }

    @Test
    void refuses_an_iat_more_than_a_minute_ahead() throws Exception {
        Instant later = clock.instant().plusSeconds(120);
        assertRefused(token(b -> b.issuedAt(Date.from(later)).expiration(Date.from(later.plusSeconds(600)))),
                Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void refuses_a_typ_other_than_jwt() throws Exception {
        assertRefused(token(b -> b.header().type("JOSE").and()), Reason.TYPE);
    }

    @Test
    void refuses_a_missing_or_garbled_header() throws Exception {
        assertThat(send(new Request.Builder().url(fake.url() + "/v1/apps")).status).isEqualTo(401);
        assertThat(fake.lastRejection().orElseThrow().reason()).isEqualTo(Reason.NO_TOKEN);

        assertRefused("not-a-jwt", Reason.MALFORMED);
    }

    @Test
    void refuses_every_token_of_a_revoked_key() throws Exception {
        String token = token();
        assertThat(get("/v1/apps", token).status).isEqualTo(200);

        account.revokeKey(KEY_ID);

        assertRefused(token, Reason.KEY_REVOKED);
        assertRefused(token(), Reason.KEY_REVOKED);
    }

    // ---- certificates

    @Test
    void lists_certificates_with_real_x509_content() throws Exception {
        Instant expires = clock.instant().plus(Duration.ofDays(200)).truncatedTo(ChronoUnit.SECONDS);
        FakeAsc.Certificate existing = account.addCertificate("Jane Appleseed", CertificateType.DISTRIBUTION, expires);
        account.addCertificate("Jane Appleseed", CertificateType.IOS_DISTRIBUTION, expires);
        account.addCertificate("Jane Appleseed", CertificateType.DEVELOPMENT, expires);

        Answer answer = get("/v1/certificates?filter[certificateType]=DISTRIBUTION,IOS_DISTRIBUTION", token());

        assertThat(answer.status).isEqualTo(200);
        JsonArray data = answer.json().getAsJsonArray("data");
        assertThat(data).hasSize(2);
        JsonObject first = data.get(0).getAsJsonObject();
        assertThat(first.get("type").getAsString()).isEqualTo("certificates");
        assertThat(first.get("id").getAsString()).isEqualTo(existing.id()).matches("[A-Z0-9]{10}");
        JsonObject attributes = first.getAsJsonObject("attributes");
        assertThat(attributes.get("name").getAsString()).isEqualTo("Apple Distribution: " + TEAM_NAME);
        assertThat(attributes.get("certificateType").getAsString()).isEqualTo("DISTRIBUTION");
        assertThat(attributes.get("displayName").getAsString()).isEqualTo("Jane Appleseed");
        assertThat(attributes.get("platform").isJsonNull()).isTrue();
        assertThat(attributes.get("activated").getAsBoolean()).isTrue();
        assertThat(attributes.get("expirationDate").getAsString()).as("Apple's form: no colon in the offset")
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000\\+0000");
        assertThat(OffsetDateTime.parse(attributes.get("expirationDate").getAsString(), APPLE_DATE).toInstant())
                .isEqualTo(expires);
        assertThat(data.get(1).getAsJsonObject().getAsJsonObject("attributes").get("platform").getAsString())
                .isEqualTo("IOS");

        X509Certificate x509 = x509(attributes.get("certificateContent").getAsString());
        assertThat(attributes.get("serialNumber").getAsString())
                .isEqualTo(x509.getSerialNumber().toString(16).toUpperCase())
                .matches("[0-9A-F]{16}");
        assertThat(x509.getNotAfter().toInstant()).isEqualTo(expires);
        assertThat(rdn(x509, BCStyle.OU)).isEqualTo(TEAM_ID);
        assertThat(rdn(x509, BCStyle.O)).isEqualTo(TEAM_NAME);
        assertThat(rdn(x509, BCStyle.UID)).isEqualTo(TEAM_ID);
        assertThat(rdn(x509, BCStyle.C)).isEqualTo("US");
        assertThat(rdn(x509, BCStyle.CN)).isEqualTo("Apple Distribution: " + TEAM_NAME + " (" + TEAM_ID + ")");
        x509.verify(FakeAsc.caCertificate().getPublicKey());
        assertThat(x509.getIssuerX500Principal()).isEqualTo(FakeAsc.caCertificate().getSubjectX500Principal());
    }

    @Test
    void filters_certificates_by_serial_and_id_and_pages_with_limit() throws Exception {
        Instant expires = clock.instant().plus(Duration.ofDays(30));
        FakeAsc.Certificate a = account.addCertificate("A", CertificateType.DISTRIBUTION, expires);
        FakeAsc.Certificate b = account.addCertificate("B", CertificateType.DISTRIBUTION, expires);
        account.addCertificate("C", CertificateType.DISTRIBUTION, expires);
        String token = token();

        assertThat(ids(get("/v1/certificates?filter[serialNumber]=" + b.serialNumber(), token))).containsExactly(b.id());
        assertThat(ids(get("/v1/certificates?filter[id]=" + a.id(), token))).containsExactly(a.id());

        Answer firstPage = get("/v1/certificates?limit=2", token);
        assertThat(ids(firstPage)).hasSize(2);
        JsonObject paging = firstPage.json().getAsJsonObject("meta").getAsJsonObject("paging");
        assertThat(paging.get("total").getAsInt()).isEqualTo(3);
        String next = firstPage.json().getAsJsonObject("links").get("next").getAsString();
        Answer secondPage = send(new Request.Builder().url(next).header("Authorization", "Bearer " + token));
        assertThat(ids(secondPage)).hasSize(1);
        assertThat(secondPage.json().getAsJsonObject("links").has("next")).isFalse();
    }

    @Test
    void refuses_bad_query_parameters_like_apple() throws Exception {
        String token = token();

        Answer badType = get("/v1/certificates?filter[certificateType]=DEVELOPER_ID_APPLICATION_G2", token);
        assertThat(badType.status).isEqualTo(400);
        JsonObject error = firstError(badType);
        assertThat(error.get("code").getAsString()).isEqualTo("PARAMETER_ERROR.INVALID");
        assertThat(error.getAsJsonObject("source").get("parameter").getAsString()).isEqualTo("filter[certificateType]");

        assertThat(get("/v1/certificates?limit=201", token).status).isEqualTo(400);
        assertThat(firstError(get("/v1/users?filter[emaill]=x", token)).get("detail").getAsString())
                .isEqualTo("'emaill' is not a valid filter type");
    }

    @Test
    void creates_a_certificate_for_the_csrs_key() throws Exception {
        Answer answer = post("/v1/certificates", token(), createRequest(csrPem(CSR_KEYS), "DISTRIBUTION"));

        assertThat(answer.status).isEqualTo(201);
        JsonObject data = answer.json().getAsJsonObject("data");
        assertThat(answer.json().getAsJsonObject("links").get("self").getAsString())
                .isEqualTo(fake.url() + "/v1/certificates/" + data.get("id").getAsString());
        JsonObject attributes = data.getAsJsonObject("attributes");
        assertThat(attributes.get("certificateType").getAsString()).isEqualTo("DISTRIBUTION");
        assertThat(attributes.get("displayName").getAsString()).isEqualTo("Created via API");
        X509Certificate x509 = x509(attributes.get("certificateContent").getAsString());
        assertThat(x509.getPublicKey()).isEqualTo(CSR_KEYS.getPublic());
        assertThat(rdn(x509, BCStyle.OU)).isEqualTo(TEAM_ID);
        assertThat(rdn(x509, BCStyle.O)).isEqualTo(TEAM_NAME);
        assertThat(Duration.between(clock.instant(), x509.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(364), Duration.ofDays(366));
        assertThat(account.certificates()).extracting(FakeAsc.Certificate::id).containsExactly(data.get("id").getAsString());

        Answer listed = get("/v1/certificates", token());
        assertThat(ids(listed)).containsExactly(data.get("id").getAsString());
    }

    @Test
    void accepts_the_csr_as_bare_base64_der() throws Exception {
        String der = Base64.getEncoder().encodeToString(csr(CSR_KEYS).getEncoded());

        assertThat(post("/v1/certificates", token(), createRequest(der, "IOS_DISTRIBUTION")).status).isEqualTo(201);
    }

    @Test
    void refuses_bad_csrs() throws Exception {
        String token = token();

        Answer garbage = post("/v1/certificates", token, createRequest("hello", "DISTRIBUTION"));
        assertThat(garbage.status).isEqualTo(422);
        assertThat(firstError(garbage).getAsJsonObject("source").get("pointer").getAsString())
                .isEqualTo("/data/attributes/csrContent");

        byte[] tampered = csr(CSR_KEYS).getEncoded();
        tampered[tampered.length - 1] ^= 1;
        assertThat(post("/v1/certificates", token,
                createRequest(Base64.getEncoder().encodeToString(tampered), "DISTRIBUTION")).status).isEqualTo(422);

        KeyPair ec = TestKeys.ecP256();
        PKCS10CertificationRequest ecCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate()));
        assertThat(post("/v1/certificates", token,
                createRequest(TestKeys.pem("CERTIFICATE REQUEST", ecCsr.getEncoded()), "DISTRIBUTION")).status)
                .isEqualTo(422);

        Answer missing = post("/v1/certificates", token,
                "{\"data\":{\"type\":\"certificates\",\"attributes\":{\"certificateType\":\"DISTRIBUTION\"}}}");
        assertThat(missing.status).isEqualTo(409);
        assertThat(firstError(missing).get("code").getAsString()).isEqualTo("ENTITY_ERROR.ATTRIBUTE.REQUIRED");

        assertThat(post("/v1/certificates", token, "not json").status).isEqualTo(422);
        assertThat(account.certificates()).isEmpty();
    }

    @Test
    void a_fourth_distribution_certificate_is_refused_with_apples_409() throws Exception {
        Instant expires = clock.instant().plus(Duration.ofDays(100));
        account.addCertificate("A", CertificateType.DISTRIBUTION, expires);
        account.addCertificate("B", CertificateType.IOS_DISTRIBUTION, expires);
        account.addCertificate("Old", CertificateType.DISTRIBUTION, clock.instant().minus(Duration.ofDays(1)));
        String token = token();
        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")).status).isEqualTo(201);

        Answer fourth = post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "IOS_DISTRIBUTION"));

        assertThat(fourth.status).isEqualTo(409);
        JsonObject error = firstError(fourth);
        assertThat(error.get("status").getAsString()).isEqualTo("409");
        assertThat(error.get("code").getAsString()).isEqualTo("ENTITY_ERROR");
        assertThat(error.get("detail").getAsString())
                .isEqualTo("You already have a current iOS Distribution certificate or a pending certificate request.");
        assertThat(error.get("id").getAsString()).isNotBlank();
        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DEVELOPMENT")).status)
                .isEqualTo(201);

        account.revokeCertificate(account.certificates().get(0).id());

        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")).status)
                .isEqualTo(201);
    }

    @Test
    void delete_revokes_and_unknown_ids_are_404() throws Exception {
        FakeAsc.Certificate certificate = account.addCertificate("A", CertificateType.DISTRIBUTION,
                clock.instant().plus(Duration.ofDays(10)));
        String token = token();

        Answer deleted = delete("/v1/certificates/" + certificate.id(), token);

        assertThat(deleted.status).isEqualTo(204);
        assertThat(deleted.body).isEmpty();
        assertThat(ids(get("/v1/certificates", token))).isEmpty();
        assertThat(certificate.isRevoked()).isTrue();
        Answer again = delete("/v1/certificates/" + certificate.id(), token);
        assertThat(again.status).isEqualTo(404);
        assertThat(firstError(again).get("code").getAsString()).isEqualTo("NOT_FOUND");
        assertThat(firstError(again).get("detail").getAsString())
                .isEqualTo("There is no resource of type 'certificates' with id '" + certificate.id() + "'");
    }

    @Test
    void reads_one_certificate_and_forgets_ones_revoked_in_the_portal() throws Exception {
        FakeAsc.Certificate certificate = account.addCertificate("A", CertificateType.DISTRIBUTION,
                clock.instant().plus(Duration.ofDays(10)));
        String token = token();
        Answer one = get("/v1/certificates/" + certificate.id(), token);
        assertThat(one.status).isEqualTo(200);
        assertThat(one.json().getAsJsonObject("data").get("id").getAsString()).isEqualTo(certificate.id());

        account.revokeCertificate(certificate.id());

        assertThat(get("/v1/certificates/" + certificate.id(), token).status).isEqualTo(404);
        assertThat(ids(get("/v1/certificates", token))).isEmpty();
    }

    // ---- other endpoints and roles

    @Test
    void lists_bundle_ids_users_and_invitations() throws Exception {
        account.addBundleId("com.example.app", "Example");
        account.addBundleId("com.example.app.widget", "Widget", "SEED123456");
        account.addUser("vendor@example.org", "Vera", "Vendor",
                List.of(Role.DEVELOPER, Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
        account.addUser("other@example.org", "Otto", "Other", List.of(Role.ADMIN), false);
        account.addInvitation("invitee@example.org", List.of(Role.DEVELOPER), true,
                clock.instant().plus(Duration.ofDays(3)));
        String token = token();

        JsonArray bundleIds = get("/v1/bundleIds?filter[identifier]=com.example.app", token).json().getAsJsonArray("data");
        assertThat(bundleIds).hasSize(2);
        assertThat(bundleIds.get(0).getAsJsonObject().getAsJsonObject("attributes").get("seedId").getAsString())
                .isEqualTo(TEAM_ID);
        assertThat(bundleIds.get(1).getAsJsonObject().getAsJsonObject("attributes").get("seedId").getAsString())
                .isEqualTo("SEED123456");

        JsonArray users = get("/v1/users?filter[username]=vendor@example.org", token).json().getAsJsonArray("data");
        assertThat(users).hasSize(1);
        JsonObject user = users.get(0).getAsJsonObject().getAsJsonObject("attributes");
        assertThat(user.getAsJsonArray("roles").toString()).isEqualTo("[\"DEVELOPER\",\"CLOUD_MANAGED_APP_DISTRIBUTION\"]");
        assertThat(user.get("provisioningAllowed").getAsBoolean()).isTrue();
        assertThat(get("/v1/users?filter[username]=vendor@example", token).json().getAsJsonArray("data")).isEmpty();

        JsonArray invitations = get("/v1/userInvitations?filter[email]=invitee@example.org", token).json()
                .getAsJsonArray("data");
        assertThat(invitations).hasSize(1);
        assertThat(invitations.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("userInvitations");
        assertThat(invitations.get(0).getAsJsonObject().getAsJsonObject("attributes").get("expirationDate")
                .getAsString()).matches(".*\\.000\\+0000");
    }

    @Test
    void admins_are_listed_by_their_role_alone_and_invitations_lapse_after_three_days() throws Exception {
        account.addAdmin("admin@example.org", "Ada", "Admin");
        FakeAsc.Invitation invitation = account.addInvitation("new@example.org", List.of(Role.DEVELOPER), true);
        String token = token();

        JsonObject admin = get("/v1/users?filter[username]=admin@example.org", token).json().getAsJsonArray("data")
                .get(0).getAsJsonObject().getAsJsonObject("attributes");
        assertThat(admin.getAsJsonArray("roles").toString()).isEqualTo("[\"ADMIN\"]");
        assertThat(admin.get("provisioningAllowed").getAsBoolean()).isTrue();
        assertThat(invitation.expirationDate()).isEqualTo(clock.instant().plus(FakeAsc.INVITATION_LIFETIME)
                .truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void a_developer_key_may_read_provisioning_but_not_users_nor_create_certificates() throws Exception {
        KeyPair developer = TestKeys.ecP256();
        account.addKey("DEV1234567", ISSUER, (ECPublicKey) developer.getPublic(), Role.DEVELOPER);
        String token = token(developer.getPrivate(), "DEV1234567", ISSUER);

        assertThat(get("/v1/certificates", token).status).isEqualTo(200);
        assertThat(get("/v1/bundleIds", token).status).isEqualTo(200);
        Answer users = get("/v1/users", token);
        assertThat(users.status).isEqualTo(403);
        assertThat(firstError(users).get("code").getAsString()).isEqualTo("FORBIDDEN_ERROR");
        assertThat(firstError(users).get("detail").getAsString()).isEqualTo("The API key in use does not allow this request");
        assertThat(get("/v1/userInvitations", token).status).isEqualTo(403);
        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")).status).isEqualTo(403);
        assertThat(account.certificates()).isEmpty();
    }

    @Test
    void individual_keys_are_refused_on_provisioning_endpoints() throws Exception {
        KeyPair individual = TestKeys.ecP256();
        account.addKey("IND1234567", ISSUER, (ECPublicKey) individual.getPublic(), Role.ADMIN).individual(true);
        Instant now = clock.instant();
        // Individual keys sign with sub=user and no iss.
        String token = Jwts.builder().header().keyId("IND1234567").type("JWT").and()
                .subject("user").audience().add("appstoreconnect-v1").and()
                .issuedAt(Date.from(now)).expiration(Date.from(now.plusSeconds(600)))
                .signWith(individual.getPrivate(), Jwts.SIG.ES256).compact();

        assertThat(get("/v1/apps", token).status).isEqualTo(200);
        assertThat(get("/v1/certificates", token).status).isEqualTo(403);
        assertThat(get("/v1/bundleIds", token).status).isEqualTo(403);
    }

    @Test
    void keys_can_be_barred_from_users_or_from_creating_certificates() throws Exception {
        account.key(KEY_ID).forbidUsers(true).canCreateDistribution(false);
        String token = token();

        assertThat(get("/v1/users", token).status).isEqualTo(403);
        assertThat(get("/v1/certificates", token).status).isEqualTo(200);
        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")).status).isEqualTo(403);
    }

    @Test
    void unknown_paths_and_methods_get_apples_errors() throws Exception {
        Answer unknown = get("/v1/profiles", token());
        assertThat(unknown.status).isEqualTo(404);
        assertThat(firstError(unknown).get("code").getAsString()).isEqualTo("NOT_FOUND");

        Answer post = post("/v1/apps", token(), "{}");
        assertThat(post.status).isEqualTo(403);
        assertThat(firstError(post).get("detail").getAsString()).contains("does not allow 'CREATE'");
    }

    @Test
    void each_key_sees_only_its_own_team() throws Exception {
        Account other = fake.addAccount("ZYXWV98765", "Other Team");
        KeyPair otherKeys = TestKeys.ecP256();
        other.addKey("OTH1234567", "11111111-2222-3333-4444-555555555555", (ECPublicKey) otherKeys.getPublic(),
                Role.ADMIN);
        Instant expires = clock.instant().plus(Duration.ofDays(10));
        FakeAsc.Certificate mine = account.addCertificate("A", CertificateType.DISTRIBUTION, expires);
        FakeAsc.Certificate theirs = other.addCertificate("B", CertificateType.DISTRIBUTION, expires);
        String otherToken = token(otherKeys.getPrivate(), "OTH1234567", "11111111-2222-3333-4444-555555555555");

        assertThat(ids(get("/v1/certificates", token()))).containsExactly(mine.id());
        assertThat(ids(get("/v1/certificates", otherToken))).containsExactly(theirs.id());
        assertThat(delete("/v1/certificates/" + mine.id(), otherToken).status).isEqualTo(404);
        assertThat(x509(theirs.certificateContent()).getSubjectX500Principal().getName()).contains("OU=ZYXWV98765");
    }

    // ---- rate limit

    @Test
    void x_rate_limit_counts_down_per_key_per_hour() throws Exception {
        account.key(KEY_ID).hourlyLimit(3);
        String token = token();

        assertThat(hourly(get("/v1/apps", token))).isEqualTo("user-hour-lim:3;user-hour-rem:2;");
        assertThat(hourly(get("/v1/apps", token))).isEqualTo("user-hour-lim:3;user-hour-rem:1;");
        assertThat(hourly(get("/v1/apps", token))).isEqualTo("user-hour-lim:3;user-hour-rem:0;");
        Answer limited = get("/v1/apps", token);
        assertThat(limited.status).isEqualTo(429);
        assertThat(firstError(limited).get("code").getAsString()).isEqualTo("RATE_LIMIT_EXCEEDED");

        clock.advance(Duration.ofMinutes(61));

        assertThat(hourly(get("/v1/apps", token()))).isEqualTo("user-hour-lim:3;user-hour-rem:2;");
    }

    @Test
    void default_limits_are_3600_an_hour_and_150_a_minute_on_two_header_lines() throws Exception {
        assertThat(get("/v1/apps", token()).headers.values("X-Rate-Limit"))
                .containsExactly("user-hour-lim:3600;user-hour-rem:3599;", "user-minute-lim:150;user-minute-rem:149;");
    }

    @Test
    void the_minute_limit_refuses_a_burst_until_the_minute_has_passed() throws Exception {
        account.key(KEY_ID).minuteLimit(2);
        String token = token();
        get("/v1/apps", token);
        get("/v1/apps", token);

        Answer limited = get("/v1/apps", token);

        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.headers.values("X-Rate-Limit")).contains("user-minute-lim:2;user-minute-rem:0;");
        clock.advance(Duration.ofSeconds(61));
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
    }

    // ---- faults

    @Test
    void faults_fire_the_given_number_of_times_then_stop() throws Exception {
        fake.failNext(2, Fault.serverError());
        String token = token();

        Answer first = get("/v1/apps", token);
        assertThat(first.status).isEqualTo(500);
        assertThat(firstError(first).get("code").getAsString()).isEqualTo("UNEXPECTED_ERROR");
        assertThat(get("/v1/apps", token).status).isEqualTo(500);
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
        assertThat(fake.requests()).extracting(FakeAsc.Request::fault)
                .containsExactly(Fault.Kind.SERVER_ERROR, Fault.Kind.SERVER_ERROR, null);
    }

    @Test
    void faults_can_target_a_path_and_a_method() throws Exception {
        fake.failNext("POST", "/v1/certificates", 1, Fault.unauthorized());
        String token = token();

        assertThat(get("/v1/apps", token).status).isEqualTo(200);
        assertThat(get("/v1/certificates", token).status).isEqualTo(200);
        Answer spurious = post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION"));
        assertThat(spurious.status).isEqualTo(401);
        assertThat(spurious.body).isEqualTo(UNAUTHORIZED_BODY);
        assertThat(fake.lastRejection()).isEmpty();
        assertThat(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")).status).isEqualTo(201);
    }

    @Test
    void error_faults_carry_apples_bodies_and_headers() throws Exception {
        String token = token();
        fake.failNext(1, Fault.agreementMissing());
        fake.failNext(1, Fault.forbidden());
        fake.failNext(1, Fault.rateLimited(7));
        fake.failNext(1, Fault.unavailable());

        Answer agreement = get("/v1/apps", token);
        assertThat(agreement.status).isEqualTo(403);
        assertThat(firstError(agreement).get("code").getAsString()).isEqualTo("FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED");
        assertThat(firstError(agreement).get("title").getAsString()).isEqualTo("A required agreement is missing or has expired.");
        Answer forbidden = get("/v1/apps", token);
        assertThat(forbidden.status).isEqualTo(403);
        assertThat(firstError(forbidden).get("code").getAsString()).isEqualTo("FORBIDDEN_ERROR");
        Answer limited = get("/v1/apps", token);
        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.headers.get("Retry-After")).isEqualTo("7");
        assertThat(firstError(limited).get("code").getAsString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        Answer unavailable = get("/v1/apps", token);
        assertThat(unavailable.status).isEqualTo(503);
        assertThat(unavailable.headers.get("Content-Type")).startsWith("text/html");
    }

    @Test
    void a_lapsed_membership_answers_like_apple_with_the_teams_id() throws Exception {
        String token = token();
        fake.failNext(1, Fault.membershipLapsed());

        Answer lapsed = get("/v1/certificates", token);

        assertThat(lapsed.status).isEqualTo(403);
        JsonObject error = firstError(lapsed);
        assertThat(error.get("code").getAsString()).isEqualTo("FORBIDDEN_ERROR");
        assertThat(error.get("title").getAsString()).isEqualTo("This request is forbidden for security reasons");
        assertThat(error.get("detail").getAsString()).startsWith("Team ID: '" + TEAM_ID
                + "' is not associated with an active membership.");
        assertThat(error.get("id").getAsString()).isNotBlank();
    }

    @Test
    void an_account_wide_block_refuses_every_request_until_lifted() throws Exception {
        String token = token();
        account.block(FakeAsc.Block.AGREEMENT_MISSING);

        Answer apps = get("/v1/apps", token);
        Answer certificates = get("/v1/certificates", token);

        assertThat(apps.status).isEqualTo(403);
        assertThat(firstError(apps).get("code").getAsString()).isEqualTo("FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED");
        assertThat(firstError(apps).getAsJsonObject("links").get("see").getAsString()).isEqualTo("/agreements");
        assertThat(certificates.status).isEqualTo(403);
        assertThat(apps.headers.values("X-Rate-Limit")).hasSize(2);

        account.block(FakeAsc.Block.MEMBERSHIP_LAPSED);
        assertThat(firstError(get("/v1/apps", token)).get("detail").getAsString()).contains("active membership");

        account.block(null);
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
    }

    @Test
    void a_recorded_answer_is_replayed_as_given_with_its_header_lines() throws Exception {
        String body = "{\"errors\":[{\"code\":\"FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED\"}]}";
        fake.failNext("/v1/apps", 1, Fault.recorded(403, body)
                .withHeader("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:1;")
                .withHeader("X-Rate-Limit", "user-minute-lim:150;user-minute-rem:1;"));

        Answer replayed = get("/v1/apps", token());

        assertThat(replayed.status).isEqualTo(403);
        assertThat(replayed.body).isEqualTo(body);
        assertThat(replayed.headers.values("X-Rate-Limit")).containsExactly("user-hour-lim:3600;user-hour-rem:1;",
                "user-minute-lim:150;user-minute-rem:1;");
        assertThat(fake.requests()).extracting(FakeAsc.Request::fault).containsExactly(Fault.Kind.RECORDED);
        assertThat(get("/v1/apps", token()).status).isEqualTo(200);
    }

    @Test
    void the_certificate_limit_refusal_names_the_type_asked_for() throws Exception {
        account.distributionLimit(0);
        String token = token();

        assertThat(firstError(post("/v1/certificates", token, createRequest(csrPem(CSR_KEYS), "DISTRIBUTION")))
                .get("detail").getAsString())
                .isEqualTo("You already have a current Distribution certificate or a pending certificate request.");
        assertThat(FakeAsc.limitDetail(CertificateType.DEVELOPER_ID_APPLICATION))
                .isEqualTo("You already have a current Developer ID Application certificate or a pending certificate "
                        + "request.");
    }

    @Test
    void malformed_json_and_dropped_connections() throws Exception {
        String token = token();
        fake.failNext("/v1/certificates", 1, Fault.malformedJson());
        fake.failNext("/v1/certificates", 1, Fault.disconnect());
        fake.failNext("/v1/certificates", 1, Fault.disconnectDuringBody());
        account.addCertificate("A", CertificateType.DISTRIBUTION, clock.instant().plus(Duration.ofDays(10)));

        Answer malformed = get("/v1/certificates", token);
        assertThat(malformed.status).isEqualTo(200);
        assertThatThrownBy(() -> JsonParser.parseString(malformed.body)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> get("/v1/certificates", token)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get("/v1/certificates", token)).isInstanceOf(IOException.class);
        assertThat(get("/v1/certificates", token).status).isEqualTo(200);
        assertThat(fake.requests()).extracting(FakeAsc.Request::status).containsExactly(200, 0, 200, 200);
    }

    @Test
    void after_handling_the_request_takes_effect_though_the_answer_is_lost() throws Exception {
        fake.failNext("POST", "/v1/certificates", 1, Fault.serverError().afterHandling());

        Answer answer = post("/v1/certificates", token(), createRequest(csrPem(CSR_KEYS), "DISTRIBUTION"));

        assertThat(answer.status).isEqualTo(500);
        assertThat(account.certificates()).hasSize(1);
    }

    @Test
    void slow_answers_and_latency_hold_back_the_headers() throws Exception {
        String token = token();
        fake.failNext(1, Fault.slow(Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        fake.setLatency(Duration.ofMillis(150));
        started = System.nanoTime();
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    // ---- recording

    @Test
    void records_requests_without_keeping_tokens() throws Exception {
        String token = token();
        get("/v1/certificates?filter[certificateType]=DISTRIBUTION,IOS_DISTRIBUTION&limit=5", token);
        get("/v1/apps", token);
        get("/v1/apps", token());

        assertThat(fake.requestCount()).isEqualTo(3);
        FakeAsc.Request first = fake.requests("/v1/certificates").get(0);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).startsWith("/v1/certificates?");
        assertThat(first.pathWithoutQuery()).isEqualTo("/v1/certificates");
        assertThat(first.param("filter[certificateType]")).isEqualTo("DISTRIBUTION,IOS_DISTRIBUTION");
        assertThat(first.param("limit")).isEqualTo("5");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.jwtHeader()).containsEntry("alg", "ES256").containsEntry("kid", KEY_ID);
        assertThat(first.jwtClaims()).containsEntry("iss", ISSUER).containsKey("exp");
        assertThat(first.keyId()).isEqualTo(KEY_ID);
        assertThat(fake.requests().toString()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
        assertThat(fake.distinctTokens()).isEqualTo(2);

        fake.reset();

        assertThat(fake.requests()).isEmpty();
        assertThat(fake.distinctTokens()).isZero();
        assertThat(get("/v1/apps", token).status).isEqualTo(200);
    }

    @Test
    void url_has_no_trailing_slash_and_is_on_loopback() {
        assertThat(fake.url()).startsWith("http://").doesNotEndWith("/");
        assertThat(okhttp3.HttpUrl.get(fake.url()).host()).isIn("127.0.0.1", "::1");
    }

    // ---- helpers

    private record Answer(int status, String body, Headers headers) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    private String token() {
        return token(UnaryOperator.identity());
    }

    private String token(PrivateKey key, String kid, String issuer) {
        return token(b -> b.header().keyId(kid).and().issuer(issuer).signWith(key, Jwts.SIG.ES256));
    }

    /** A valid token for the default key, changed by {@code change} before signing. */
    private String token(UnaryOperator<JwtBuilder> change) {
        Instant now = clock.instant();
        JwtBuilder builder = Jwts.builder()
                .header().keyId(KEY_ID).type("JWT").and()
                .issuer(ISSUER)
                .audience().add("appstoreconnect-v1").and()
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(Duration.ofMinutes(20))))
                .signWith(keys.getPrivate(), Jwts.SIG.ES256);
        return change.apply(builder).compact();
    }

    private void assertRefused(String token, Reason reason) throws IOException {
        Answer answer = get("/v1/apps", token);
        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.body).isEqualTo(UNAUTHORIZED_BODY);
        assertThat(answer.headers.get("X-Rate-Limit")).isNull();
        assertThat(fake.lastRejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(reason));
    }

    private Answer get(String pathAndQuery, String token) throws IOException {
        return send(new Request.Builder().url(fake.url() + pathAndQuery).header("Authorization", "Bearer " + token));
    }

    private Answer post(String path, String token, String json) throws IOException {
        return send(new Request.Builder().url(fake.url() + path).header("Authorization", "Bearer " + token)
                .post(RequestBody.create(json, JSON)));
    }

    private Answer delete(String path, String token) throws IOException {
        return send(new Request.Builder().url(fake.url() + path).header("Authorization", "Bearer " + token).delete());
    }

    private Answer send(Request.Builder request) throws IOException {
        try (Response response = http.newCall(request.build()).execute()) {
            return new Answer(response.code(), response.body() == null ? "" : response.body().string(), response.headers());
        }
    }

    private static String hourly(Answer answer) {
        return answer.headers.values("X-Rate-Limit").stream().filter(v -> v.startsWith("user-hour")).findFirst()
                .orElse(null);
    }

    private static List<String> ids(Answer answer) {
        assertThat(answer.status).isEqualTo(200);
        return answer.json().getAsJsonArray("data").asList().stream()
                .map(e -> e.getAsJsonObject().get("id").getAsString()).toList();
    }

    private static JsonObject firstError(Answer answer) {
        JsonElement errors = answer.json().get("errors");
        return errors.getAsJsonArray().get(0).getAsJsonObject();
    }

    private static String createRequest(String csr, String type) {
        JsonObject attributes = new JsonObject();
        attributes.addProperty("csrContent", csr);
        attributes.addProperty("certificateType", type);
        JsonObject data = new JsonObject();
        data.addProperty("type", "certificates");
        data.add("attributes", attributes);
        JsonObject root = new JsonObject();
        root.add("data", data);
        return root.toString();
    }

    private static PKCS10CertificationRequest csr(KeyPair pair) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(
                new X500Name("E=vendor@example.org, CN=Vendor, C=US"), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
    }

    private static String csrPem(KeyPair pair) throws Exception {
        return TestKeys.pem("CERTIFICATE REQUEST", csr(pair).getEncoded());
    }

    private static X509Certificate x509(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static String rdn(X509Certificate certificate, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        // The raw value: IETFUtils would escape the comma in the team name the way RFC 2253 text does.
        return ((ASN1String) name.getRDNs(type)[0].getFirst().getValue()).getString();
    }
}
