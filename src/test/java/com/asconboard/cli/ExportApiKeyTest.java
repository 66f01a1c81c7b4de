package com.asconboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.RunningBot.Keyed;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TicketDriver;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code export-api-key} against a running bot's database: the key of a verified ticket written for fastlane or
 * as the .p8, readable by its owner only, good for App Store Connect; refusals; the export in the thread.
 */
class ExportApiKeyTest {
    static final String ISSUER = RunningBot.ISSUER;
    static final ExportApiKey.Who WHO = new ExportApiKey.Who("release-bot", "build-7.internal");

    @RegisterExtension
    final RunningBot app = new RunningBot().withAsc().with(env -> env.put("AUTO_CREATE_CERTIFICATE", "false"));
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    /** A ticket whose key was uploaded; verified unless the key was revoked at Apple first. */
    Keyed withKey(String customer, boolean revoked) {
        Keyed k = app.keyUploaded(customer, (account, keyId) -> {
            if (revoked) {
                account.revokeKey(keyId);
            }
        });
        app.driver().reply(k.ticket(), revoked ? "verification: ❌" : "verification: ✅");
        return k;
    }

    int export(String... args) {
        stdout.reset();
        stderr.reset();
        return ExportApiKey.run(args, app.env(), app.clock(), WHO,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    /** Signs a token with the key and asks App Store Connect for the account's apps: Apple accepts it. */
    void appStoreConnectAccepts(byte[] p8, String keyId) throws Exception {
        ApiKey key = ApiKeyFile.parse(p8, "AuthKey_" + keyId + ".p8", keyId);
        AscConnector connector = AscConnector.standard(app.asc().url(), app.clock());
        connector.open(new AscCredentials(ISSUER, keyId, key.privateKey())).appsVisible();
        assertThat(app.asc().requests("/v1/apps").stream().filter(r -> keyId.equals(r.keyId())))
                .last().satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    static void ownerOnly(Path file) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void writes_fastlanes_api_key_json_whose_key_app_store_connect_accepts_and_notes_the_export_in_the_thread()
            throws Exception {
        Keyed k = withKey("Pipeline Co", false);
        Path out = app.dir().resolve("api_key.json");

        assertThat(export("--ticket", k.ticket().key(), "--out", out.toString())).as(stderr.toString()).isZero();

        ownerOnly(out);
        JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertThat(json.keySet()).containsExactlyInAnyOrder("key_id", "issuer_id", "key", "in_house");
        assertThat(json.get("key_id").getAsString()).isEqualTo(k.keyId());
        assertThat(json.get("issuer_id").getAsString()).isEqualTo(ISSUER);
        assertThat(json.get("in_house").getAsBoolean()).isFalse();
        String pem = json.get("key").getAsString();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----");
        appStoreConnectAccepts(pem.getBytes(StandardCharsets.UTF_8), k.keyId());
        assertThat(stdout.toString()).contains(out.toString(), "fastlane API-key JSON", "0600");

        FakeSlack.Call noted = app.driver().reply(k.ticket(), "exported the API key " + k.keyId());
        assertThat(noted.param("text")).contains("for the release pipeline (fastlane API-key JSON)",
                "operating-system user release-bot on host build-7.internal").doesNotContain("PRIVATE KEY");
    }

    @Test
    void writes_the_p8_named_after_the_key_when_out_is_a_folder() throws Exception {
        Keyed k = withKey("Altool Ltd", false);
        Path folder = Files.createDirectory(app.dir().resolve("private_keys"));

        assertThat(export("--ticket", k.ticket().key(), "--out", folder.toString(), "--format", "p8"))
                .as(stderr.toString()).isZero();

        Path p8 = folder.resolve("AuthKey_" + k.keyId() + ".p8");
        ownerOnly(p8);
        assertThat(Files.readString(p8)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        appStoreConnectAccepts(Files.readAllBytes(p8), k.keyId());
        assertThat(folder.toFile().list()).as("nothing else left behind").containsExactly(p8.getFileName().toString());
        app.driver().reply(k.ticket(), "(.p8 file)");
    }

    @Test
    void refuses_with_exit_1_a_ticket_without_a_verified_key_and_an_offboarded_one() throws Exception {
        TicketDriver.Opened noKey = app.driver().open("No Key Yet", null, null, null, null);
        Keyed rejected = withKey("Rejected Key Inc", true);
        Keyed offboarded = withKey("Gone Ltd", false);
        app.requests().click("ticket_confirm_access", offboarded.ticket().number(), offboarded.ticket().ts());
        app.driver().reply(offboarded.ticket(), "is active and watched");
        app.requests().submitViewState("offboard", offboarded.ticket().number(), Map.of(), SlackRequests.USER);
        app.driver().reply(offboarded.ticket(), "offboarded Gone Ltd");
        Path out = app.dir().resolve("refused.json");

        assertThat(export("--ticket", noKey.key(), "--out", out.toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains(noKey.key() + " has no API key yet");
        assertThat(export("--ticket", rejected.ticket().key(), "--out", out.toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("Apple has not verified yet");
        assertThat(export("--ticket", offboarded.ticket().key(), "--out", out.toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("was offboarded", "destroyed");
        assertThat(export("--ticket", "ASC-999", "--out", out.toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("There is no ticket ASC-999");

        assertThat(out).doesNotExist();
        assertThat(app.slack().calls("chat.postMessage").stream().map(c -> c.param("text")))
                .noneMatch(t -> t.contains("exported the API key"));
    }

    @Test
    void refuses_a_symbolic_link_target_and_bad_usage_with_exit_2() throws Exception {
        Keyed k = withKey("Careful Corp", false);
        Path elsewhere = Files.writeString(app.dir().resolve("elsewhere.txt"), "untouched");
        Path link = Files.createSymbolicLink(app.dir().resolve("api_key.json"), elsewhere);

        assertThat(export("--ticket", k.ticket().key(), "--out", link.toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains("symbolic link");
        assertThat(Files.readString(elsewhere)).isEqualTo("untouched");

        assertThat(export("--ticket", k.ticket().key())).isEqualTo(2);
        assertThat(stderr.toString()).contains("--out FILE", "Usage:");
        assertThat(export("--out", app.dir().resolve("x.json").toString())).isEqualTo(2);
        assertThat(export("--ticket", k.ticket().key(), "--out", app.dir().resolve("x.json").toString(),
                "--format", "pem"))
                .isEqualTo(2);
        assertThat(stderr.toString()).contains("--format is fastlane (the default) or p8");
        assertThat(export("--ticket", k.ticket().key(), "--out", app.dir().resolve("missing/x.json").toString()))
                .isEqualTo(2);
        assertThat(export("--ticket", k.ticket().key(), "--out", app.dir().toString(), "--verbose")).isEqualTo(2);
        assertThat(app.dir().resolve("x.json")).doesNotExist();
    }
}
