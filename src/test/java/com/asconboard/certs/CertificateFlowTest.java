package com.asconboard.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.cli.ExportSigning;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.RunningBot.Keyed;
import com.asconboard.testing.SlackRequests;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The vendor's certificate from creation to renewal, through the real bot, with Slack and App
 * Store Connect faked and one clock for all of them.
 */
class CertificateFlowTest {

    @RegisterExtension
    final RunningBot app = new RunningBot().withAsc().with(env -> env.put("AUTO_CREATE_CERTIFICATE", "false"));

    /** A customer account with a working key, and a verified, active ticket for it. */
    Keyed onboarded(String customer) {
        Keyed o = app.keyUploaded(customer);
        app.driver().reply(o.ticket(), "verification:");
        // Step 1 by hand (no VENDOR_APPLE_ID here): the five steps pass and the account is active, so watched.
        app.requests().click("ticket_confirm_access", o.ticket().number(), o.ticket().ts());
        app.driver().reply(o.ticket(), "is active and watched");
        return o;
    }

    FakeSlack.Call create(Keyed o) {
        app.requests().click("ticket_create_certificate", o.ticket().number(), o.ticket().ts());
        return app.driver().reply(o.ticket(), "the vendor's distribution certificate");
    }

    void fillSlots(FakeAsc.Account account, int count) {
        for (int i = 0; i < count; i++) {
            account.addCertificate("Customer's own " + i, FakeAsc.CertificateType.DISTRIBUTION,
                    app.clock().instant().plus(Duration.ofDays(400)));
        }
    }

    long threadMessages(Keyed o, String text) {
        return app.slack().calls("chat.postMessage").stream().filter(c -> o.ticket().ts().equals(c.param("thread_ts"))
                && c.param("text").contains(text)).count();
    }

    @Test
    void create_certificate_puts_the_vendors_certificate_into_a_free_slot() {
        Keyed o = onboarded("Free Slot Inc");

        FakeSlack.Call created = create(o);

        assertThat(created.param("text")).contains("created the vendor's distribution certificate", "serial",
                "valid until");
        FakeAsc.Certificate inAccount = o.account().certificates().stream()
                .filter(c -> "Created via API".equals(c.displayName())).findFirst().orElseThrow();
        assertThat(created.param("text")).contains(inAccount.serialNumber());
        FakeSlack.Call update = app.driver().update(o.ticket(), "serial " + inAccount.serialNumber());
        assertThat(update.param("blocks")).contains("*Certificate:* ✅", "✅ *5. Distribution-certificate slot for the "
                + "vendor* — the vendor's certificate holds a slot until");
    }

    @Test
    void a_double_click_creates_one_certificate() throws Exception {
        Keyed o = onboarded("Double Click Ltd");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> clicks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            clicks.add(pool.submit(() -> {
                go.await();
                return app.requests().click("ticket_create_certificate", o.ticket().number(), o.ticket().ts())
                        .statusCode();
            }));
        }
        go.countDown();
        for (Future<Integer> click : clicks) {
            assertThat(click.get()).isEqualTo(200);
        }
        pool.shutdown();
        app.driver().reply(o.ticket(), "created the vendor's distribution certificate");

        app.requests().click("ticket_create_certificate", o.ticket().number(), o.ticket().ts());
        app.slack().await("chat.postEphemeral",
                c -> c.param("text").contains("already has a valid distribution certificate"));
        assertThat(app.asc().requests("/v1/certificates").stream().filter(r -> r.method().equals("POST"))).hasSize(1);
        assertThat(o.account().certificates()).hasSize(1);
    }

    @Test
    void full_slots_are_listed_with_what_the_customer_must_do() {
        Keyed o = onboarded("Full Slots Co");
        fillSlots(o.account(), 3);

        FakeSlack.Call refused = create(o);

        assertThat(refused.param("text")).contains("could not create the vendor's distribution certificate",
                "all 3 distribution-certificate slots are in use", "Customer's own 0", "Customer's own 2", "expires",
                "must revoke one", "does not affect apps already on the App Store");
        app.driver().update(o.ticket(), "❌ not created: all 3 distribution-certificate slots are in use");
    }

    @Test
    void a_key_that_may_not_create_certificates_is_explained() {
        Keyed o = onboarded("Read Only Co");
        o.account().key(o.keyId()).canCreateDistribution(false);

        FakeSlack.Call refused = create(o);

        assertThat(refused.param("text")).contains("lets this key read certificates but not create",
                "Admin", "Account Holder");
    }

    @Test
    void the_p12_export_holds_the_certificate_and_its_key() throws Exception {
        Keyed o = onboarded("Export Ltd");
        create(o);
        FakeAsc.Certificate inAccount = o.account().certificates().get(0);
        Path password = app.dir().resolve("password.txt");
        Files.writeString(password, "correct horse battery\n");
        Path out = Files.createDirectory(app.dir().resolve("out"));

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = ExportSigning.run(new String[] {"--ticket", o.ticket().key(), "--out", out.toString(),
                "--password-file", password.toString()}, app.env(), app.clock(), p -> null,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(exit).as(stderr.toString()).isEqualTo(0);
        Path p12 = out.resolve(o.ticket().key() + "-distribution.p12");
        assertThat(stdout.toString()).contains(p12.toString(), inAccount.serialNumber());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "correct horse battery".toCharArray());
        }
        String alias = store.aliases().nextElement();
        X509Certificate cert = (X509Certificate) store.getCertificate(alias);
        PrivateKey key = (PrivateKey) store.getKey(alias, "correct horse battery".toCharArray());
        assertThat(cert.getSerialNumber()).isEqualTo(inAccount.x509().getSerialNumber());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();

        app.clock().advance(Duration.ofDays(366));
        int expired = ExportSigning.run(new String[] {"--ticket", o.ticket().key(), "--out", out.toString(),
                "--password-file", password.toString()}, app.env(), app.clock(), p -> null,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(expired).isEqualTo(1);
        assertThat(stderr.toString()).contains("expired");
    }

    @Test
    void export_refuses_without_a_password_or_a_certificate() {
        Keyed o = onboarded("No Cert Ltd");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        assertThat(ExportSigning.run(new String[] {"--ticket", o.ticket().key(), "--out", app.dir().toString()},
                app.env(), app.clock(), p -> null, System.out, err)).isEqualTo(2);
        assertThat(stderr.toString()).contains("--password-file");
        assertThat(ExportSigning.run(new String[] {"--ticket", o.ticket().key(), "--out", app.dir().toString()},
                app.env(), app.clock(), p -> "long enough password".toCharArray(), System.out, err)).isEqualTo(1);
        assertThat(stderr.toString()).contains("has no distribution certificate yet");
        assertThat(ExportSigning.run(new String[] {"--ticket", "banana", "--out", app.dir().toString()},
                app.env(), app.clock(), p -> null, System.out, err)).isEqualTo(2);
    }

    @Test
    void expiry_warnings_fire_once_each_at_the_right_time_even_across_a_restart() throws Exception {
        Keyed o = onboarded("Expiring Ltd");
        create(o);
        fillSlots(o.account(), 2);
        Instant expires = o.account().certificates().get(0).expirationDate();

        app.clock().advance(Duration.between(app.clock().instant(), expires.minus(Duration.ofDays(45))));
        app.bot().watchOnce();
        assertThat(threadMessages(o, ") expires ")).isZero();

        app.clock().advance(Duration.ofDays(15).plusHours(1));
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "in 29 days");
        app.bot().watchOnce();
        assertThat(threadMessages(o, ") expires ")).isEqualTo(1);

        app.clock().advance(Duration.ofDays(16));
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "in 13 days");

        app.restart();
        app.bot().watchOnce();
        assertThat(threadMessages(o, ") expires ")).as("no repeat after a restart").isEqualTo(2);

        app.clock().advance(Duration.ofDays(7));
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "in 6 days");
        app.clock().advance(Duration.ofDays(6));
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "in less than a day");
        assertThat(threadMessages(o, ") expires ")).isEqualTo(4);
        assertThat(o.account().certificates().stream().filter(c -> "Created via API".equals(c.displayName())))
                .as("no free slot, so no renewal").hasSize(1);
    }

    @Test
    void the_certificate_is_renewed_before_expiry_when_a_slot_is_free() {
        app.env().put("AUTO_CREATE_CERTIFICATE", "true");
        app.restart();
        Keyed o = onboarded("Renewing Ltd");
        FakeSlack.Call first = app.driver().reply(o.ticket(), "created the vendor's distribution certificate");
        assertThat(first.param("text")).contains("automatically");
        Instant expires = o.account().certificates().get(0).expirationDate();

        app.clock().advance(Duration.between(app.clock().instant(), expires.minus(Duration.ofDays(20))));
        app.bot().watchOnce();

        FakeSlack.Call renewed = app.driver().reply(o.ticket(), "to take over from the one expiring");
        assertThat(renewed.param("text")).contains("keeps working until then");
        assertThat(o.account().certificates()).hasSize(2).noneMatch(FakeAsc.Certificate::isRevoked);
        assertThat(app.asc().requests().stream().filter(r -> r.method().equals("DELETE"))).isEmpty();
    }

    @Test
    void a_revoked_certificate_and_a_revoked_key_are_reported_once() {
        Keyed o = onboarded("Revoked Ltd");
        create(o);
        FakeAsc.Certificate ours = o.account().certificates().get(0);
        app.bot().watchOnce();
        assertThat(threadMessages(o, "revoked")).isZero();

        o.account().revokeCertificate(ours.id());
        app.bot().watchOnce();
        assertThat(threadMessages(o, "revoked")).as("seen once: confirmed by the next check first").isZero();
        app.bot().watchOnce();
        FakeSlack.Call revoked = app.driver().reply(o.ticket(), "is no longer in the account: it was revoked");
        assertThat(revoked.param("text")).contains(ours.serialNumber(), "press Create certificate");
        app.driver().update(o.ticket(), "was revoked");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "it was revoked")).isEqualTo(1);

        o.account().revokeKey(o.keyId());
        app.bot().watchOnce();
        assertThat(threadMessages(o, "no longer accepts the key")).as("a 401 may be spurious: confirmed first")
                .isZero();
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "no longer accepts the key");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "no longer accepts the key")).isEqualTo(1);
        assertThat(SlackRequests.text(app.requests().command("status " + o.ticket().key())))
                .contains("*Last check:*", "problem");
    }

    @Test
    void slots_newly_full_and_a_team_mismatch_are_reported() throws Exception {
        Keyed o = onboarded("Crowded Ltd");
        app.bot().watchOnce();
        fillSlots(o.account(), 3);
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "all 3 distribution-certificate slots are in use");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "slots are in use")).isEqualTo(1);

        // The account's team and the ticket's drift apart without anyone re-verifying.
        try (var c = DriverManager.getConnection(app.env().get("DATABASE_URL"))) {
            c.createStatement().execute("UPDATE tickets SET team_id = 'ZZZZZZZZZZ' WHERE id = " + o.ticket().number());
        }
        app.bot().watchOnce();
        FakeSlack.Call mismatch = app.driver().reply(o.ticket(), "the ticket says Team ID ZZZZZZZZZZ");
        assertThat(mismatch.param("text")).contains("but the key belongs to Team ID", "Edit details");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "the ticket says Team ID ZZZZZZZZZZ")).isEqualTo(1);
    }

    @Test
    void one_accounts_failure_does_not_stop_the_others() throws Exception {
        Keyed broken = onboarded("Broken Data Ltd");
        Keyed fine = onboarded("Fine Ltd");
        fillSlots(fine.account(), 3);
        try (var c = DriverManager.getConnection(app.env().get("DATABASE_URL"))) {
            c.createStatement().execute("UPDATE tickets SET verification_state = 'BOGUS' WHERE id = "
                    + broken.ticket().number());
        }

        app.bot().watchOnce();

        app.driver().reply(fine.ticket(), "all 3 distribution-certificate slots are in use");
    }

    @Test
    void a_401_seen_in_one_watch_round_only_is_not_posted() {
        Keyed o = onboarded("Spurious Ltd");
        app.bot().watchOnce();
        // Apple answers 401 twice in a row (the client's own retry included), then accepts the key again.
        app.asc().failNext("/v1/apps", 2, FakeAsc.Fault.unauthorized());
        app.bot().watchOnce();
        app.bot().watchOnce();
        app.bot().watchOnce();

        assertThat(threadMessages(o, "no longer accepts the key")).isZero();
        assertThat(SlackRequests.text(app.requests().command("status " + o.ticket().key()))).contains("all good");
    }

    @Test
    void the_slot_count_shown_after_creation_includes_the_vendors_new_certificate() {
        Keyed o = onboarded("Census Ltd");
        fillSlots(o.account(), 1);
        app.requests().click("ticket_verify", o.ticket().number(), o.ticket().ts());
        app.driver().update(o.ticket(), "1 of 3 in use, 2 free for the vendor");

        create(o);

        app.driver().update(o.ticket(), "2 of 3 in use, one of them the vendor");
    }

    @Test
    void a_lapsed_membership_is_told_once_with_who_must_act_and_its_end_once() {
        Keyed o = onboarded("Lapsed Ltd");
        app.bot().watchOnce();

        o.account().block(FakeAsc.Block.MEMBERSHIP_LAPSED);
        app.bot().watchOnce();
        FakeSlack.Call blocked = app.driver().reply(o.ticket(), "membership has lapsed");
        assertThat(blocked.param("text")).contains("Account Holder must renew", "a new key will not help");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "membership has lapsed")).isEqualTo(1);
        assertThat(threadMessages(o, "no longer accepts the key")).isZero();

        o.account().block(null);
        app.bot().watchOnce();
        app.driver().reply(o.ticket(), "App Store Connect answers again");
        app.bot().watchOnce();
        assertThat(threadMessages(o, "App Store Connect answers again")).isEqualTo(1);
    }

    @Test
    void an_unchanged_watch_round_keeps_no_history_only_the_time_of_the_check() throws Exception {
        Keyed o = onboarded("Quiet Ltd");
        app.bot().watchOnce();
        long before = historyRows(o);

        for (int i = 0; i < 3; i++) {
            app.bot().watchOnce();
        }

        assertThat(historyRows(o)).isEqualTo(before);
        assertThat(SlackRequests.text(app.requests().command("status " + o.ticket().key()))).contains("*Last check:*",
                "all good");
        fillSlots(o.account(), 3);
        app.bot().watchOnce();
        assertThat(historyRows(o)).as("a change is kept").isEqualTo(before + 1);
    }

    long historyRows(Keyed o) throws Exception {
        try (var c = DriverManager.getConnection(app.env().get("DATABASE_URL"));
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM verifications WHERE ticket_id = "
                        + o.ticket().number())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
