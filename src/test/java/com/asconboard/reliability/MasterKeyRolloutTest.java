package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.cli.RotateMasterKey;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TestDatabases;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master key on a database several instances share: an instance with another key refuses to start,
 * and a rotation rolls out with the old key as MASTER_KEY_PREVIOUS while instances keep serving.
 */
class MasterKeyRolloutTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeAsc asc;
    String databaseUrl;
    final String oldKey = randomKey();
    final String newKey = randomKey();

    @BeforeEach
    void start() {
        databaseUrl = TestDatabases.freshPostgres();
        slack = new FakeSlack();
        asc = new FakeAsc();
    }

    @AfterEach
    void stop() throws Exception {
        asc.close();
        slack.close();
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    Map<String, String> env(String instance, String key, String previous) {
        Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
        env.put("DATABASE_URL", databaseUrl);
        env.put("ASC_API_URL", asc.url());
        env.put("INSTANCE_ID", instance);
        env.put("MASTER_KEY", key);
        if (previous != null) {
            env.put("MASTER_KEY_PREVIOUS", previous);
        }
        return env;
    }

    @Test
    void an_instance_whose_master_key_opens_none_of_the_secrets_refuses_to_start() throws Exception {
        try (AscOnboard bot = TestBot.start(env("first", oldKey, null), Clock.systemUTC())) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port()));
            String link = driver.uploadLink(driver.open("Sealed Ltd", null, null, ISSUER, null));
            assertThat(new UploadClient().upload(link, "AuthKey_SEALEDKEY1.p8", TestKeys.p8Pem(TestKeys.ecP256())
                    .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }

        Map<String, String> wrong = env("wrong", newKey, null);
        try (BotProcess process = BotProcess.start(dir, wrong)) {
            assertThat(process.awaitExit()).isEqualTo(2);
            assertThat(process.output()).contains("MASTER_KEY does not open", "MASTER_KEY_PREVIOUS")
                    .doesNotContain(newKey, oldKey);
        }
    }

    @Test
    void a_rotation_rolls_out_with_the_previous_key_while_two_instances_serve() throws Exception {
        FakeAsc.Account account = asc.addAccount("ROTATE0001", "Rotate Team");
        KeyPair pair = TestKeys.ecP256();
        account.addKey("ROTATEKEY1", ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        AscOnboard a = TestBot.start(env("a", oldKey, null), Clock.systemUTC());
        AscOnboard b = TestBot.start(env("b", oldKey, null), Clock.systemUTC());
        TicketDriver viaA = new TicketDriver(slack, new SlackRequests(a.port()));
        TicketDriver.Opened ticket = viaA.open("Rotating Ltd", "Rotate Team", "ROTATE0001", ISSUER, "ROTATEKEY1");
        assertThat(new UploadClient().upload(viaA.uploadLink(ticket), "AuthKey_ROTATEKEY1.p8",
                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        viaA.reply(ticket, "✅ verified");

        // Roll out one by one with the new key, the old one as previous: a secret of each key opens.
        a.close();
        a = TestBot.start(env("a", newKey, oldKey), Clock.systemUTC());
        b.close();
        b = TestBot.start(env("b", newKey, oldKey), Clock.systemUTC());
        SlackRequests toB = new SlackRequests(b.port());
        toB.click("ticket_verify", ticket.number(), ticket.ts());
        viaA.replies(ticket, "✅ verified", 2);
        new TicketDriver(slack, toB).uploadLink(ticket);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RotateMasterKey.run(new String[0], env("rotation", newKey, oldKey), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Re-sealed").doesNotContain(newKey, oldKey);
        try (Database database = Database.open(databaseUrl, "", "")) {
            String newId = new SecretBox(Base64.getDecoder().decode(newKey)).keyId();
            assertThat(new JdbcSecretStore(database).countByMasterKey()).containsOnlyKeys(newId);
        }

        // Then without the previous key: everything still opens.
        a.close();
        b.close();
        a = TestBot.start(env("a", newKey, null), Clock.systemUTC());
        try {
            new SlackRequests(a.port()).click("ticket_verify", ticket.number(), ticket.ts());
            viaA.replies(ticket, "✅ verified", 3);
        } finally {
            a.close();
        }
    }
}
