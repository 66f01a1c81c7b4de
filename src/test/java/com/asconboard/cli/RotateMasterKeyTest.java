package com.asconboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.AscOnboard;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.UploadClient;
import com.asconboard.upload.UploadLinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotateMasterKeyTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int rotate(Map<String, String> env, String... args) {
        return RotateMasterKey.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rotation_reseals_every_secret_under_the_new_key_and_installs_it() throws Exception {
        Map<String, String> env;
        byte[] keyDer;
        try (FakeSlack slack = new FakeSlack()) {
            env = new HashMap<>(TestBot.environment(slack, dir));
            env.remove("MASTER_KEY");
            env.put("MASTER_KEY_FILE", dir.resolve("master.key").toString());
            try (AscOnboard bot = TestBot.start(env, Clock.systemUTC())) {
                var requests = new SlackRequests(bot.port());
                requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                        SlackRequests.form("Rotating Ltd", null, null, null, null));
                var reply = slack.await("chat.postMessage", c -> c.param("thread_ts") != null);
                requests.click("ticket_upload_link", "1", reply.param("thread_ts"));
                Matcher link = Pattern.compile("http://\\S+/upload/[A-Za-z0-9_-]{43}")
                        .matcher(slack.await("chat.postEphemeral").param("text"));
                assertThat(link.find()).isTrue();
                var pair = TestKeys.ecP256();
                keyDer = TestKeys.applePkcs8(pair);
                assertThat(new UploadClient().upload(link.group(), "AuthKey_ROTATE0001.p8",
                        TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
            }
        }
        byte[] oldKey = Base64.getDecoder().decode(Files.readString(dir.resolve("master.key")).strip());
        Path newKeyFile = dir.resolve("next.key");

        assertThat(rotate(env, "--new-key-file", newKeyFile.toString())).as(err.toString()).isEqualTo(0);

        byte[] newKey = Base64.getDecoder().decode(Files.readString(newKeyFile).strip());
        SecretBox oldBox = new SecretBox(oldKey);
        SecretBox newBox = new SecretBox(newKey);
        assertThat(out.toString()).contains("Re-sealed 1 secret(s) from master key " + oldBox.keyId() + " to "
                + newBox.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(newKeyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("master.key")).strip()).isEqualTo(Files.readString(newKeyFile).strip());
        assertThat(Base64.getDecoder().decode(Files.readString(dir.resolve("master.key.previous")).strip()))
                .isEqualTo(oldKey);

        Sealed sealed = Sealed.fromBytes(sealedKey(env));
        assertThat(sealed.keyId()).isEqualTo(newBox.keyId());
        assertThat(newBox.open(sealed, SecretBox.aadFor(1, UploadLinks.KEY_PURPOSE))).isEqualTo(keyDer);
        assertThatThrownBy(() -> oldBox.open(sealed, SecretBox.aadFor(1, UploadLinks.KEY_PURPOSE)))
                .hasMessageContaining("sealed under master key " + newBox.keyId());
        assertThat(out.toString() + err).doesNotContain(Base64.getEncoder().encodeToString(newKey),
                Base64.getEncoder().encodeToString(oldKey));
    }

    @Test
    void rotating_to_the_current_key_changes_nothing() throws Exception {
        Files.writeString(dir.resolve("master.key"), TestBot.MASTER_KEY);
        // As the bot creates it: a key file others can read is refused (see MasterKeyTest).
        Files.setPosixFilePermissions(dir.resolve("master.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = Map.of("MASTER_KEY_FILE", dir.resolve("master.key").toString(),
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        assertThat(rotate(env, "--new-key-file", dir.resolve("master.key").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("same as the current one");
    }

    @Test
    void bad_arguments_exit_2_with_usage() {
        assertThat(rotate(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: rotate-master-key --new-key-file FILE");
        assertThat(rotate(Map.of(), "--nope")).isEqualTo(2);
    }

    static byte[] sealedKey(Map<String, String> env) throws Exception {
        try (var c = DriverManager.getConnection(env.get("DATABASE_URL"));
                var rs = c.createStatement().executeQuery("SELECT sealed FROM ticket_secrets WHERE ticket_id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }
}
