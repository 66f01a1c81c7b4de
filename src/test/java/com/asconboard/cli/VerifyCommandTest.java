package com.asconboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    @TempDir
    Path dir;
    FakeAsc asc;
    FakeAsc.Account account;
    KeyPair pair = TestKeys.ecP256();
    Path keyFile;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        asc = new FakeAsc();
        account = asc.addAccount("CLITEAM001", "Terminal Inc.");
        account.addKey("CLIKEY0001", ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        account.addCertificate("Apple Distribution: Terminal Inc.", FakeAsc.CertificateType.DISTRIBUTION,
                Instant.now().plus(Duration.ofDays(90)));
        keyFile = dir.resolve("AuthKey_CLIKEY0001.p8");
        Files.writeString(keyFile, TestKeys.p8Pem(pair));
    }

    @AfterEach
    void tearDown() throws Exception {
        asc.close();
    }

    int run(String... args) {
        return VerifyCommand.run(args, Map.of("ASC_API_URL", asc.url()), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void a_good_key_exits_0_and_prints_the_report() {
        int exit = run("--issuer-id", ISSUER, "--key-id", "clikey0001", "--key-file", keyFile.toString(),
                "--team-id", "CLITEAM001");

        assertThat(exit).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("Verifying key CLIKEY0001", "verification: ✅ verified",
                "✅ Team — the key belongs to Team ID CLITEAM001 (Terminal Inc.)", "1 of 3 in use");
    }

    @Test
    void a_rejected_key_exits_1_with_the_fix() {
        account.revokeKey("CLIKEY0001");
        int exit = run("--issuer-id", ISSUER, "--key-id", "CLIKEY0001", "--key-file", keyFile.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("❌ Apple accepts the key", "must belong to the same key");
    }

    @Test
    void bad_arguments_exit_2_with_usage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing --issuer-id", "Usage: java -jar asc-onboard.jar verify");
        assertThat(run("--issuer-id")).isEqualTo(2);
        assertThat(run("--frobnicate", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown argument '--frobnicate'");
    }

    @Test
    void malformed_ids_get_the_forms_messages() {
        assertThat(run("--issuer-id", "ABCDE12345", "--key-id", "CLIKEY0001", "--key-file", keyFile.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("Issuer ID: This looks like a Team ID or Key ID");
    }

    @Test
    void a_bad_key_file_gets_the_upload_pages_message() throws Exception {
        Path cert = dir.resolve("AuthKey_CLIKEY0001.cer.p8");
        Files.writeString(cert, TestKeys.selfSignedCertPem());
        assertThat(run("--issuer-id", ISSUER, "--key-id", "CLIKEY0001", "--key-file", cert.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("This is a certificate, not an App Store Connect API key");

        assertThat(run("--issuer-id", ISSUER, "--key-id", "CLIKEY0001", "--key-file", dir.resolve("nope.p8")
                .toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read the key file", "no such file");
    }

    @Test
    void a_key_file_for_another_key_id_is_named() throws Exception {
        Path other = dir.resolve("AuthKey_OTHER00001.p8");
        Files.writeString(other, TestKeys.p8Pem(pair));
        assertThat(run("--issuer-id", ISSUER, "--key-id", "CLIKEY0001", "--key-file", other.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("OTHER00001", "CLIKEY0001");
    }
}
