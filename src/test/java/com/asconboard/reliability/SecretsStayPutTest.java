package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.Bytes;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One realistic onboarding (ticket, upload link, upload, verification against App Store Connect),
 * then a search of everything the bot left behind — its log, every Slack call, every request to
 * Apple, the database file — for each secret it handled. Each may be only where it must be.
 */
class SecretsStayPutTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String TEAM_ID = "SECR3T0001";
    static final String KEY_ID = "SECRETKEY1";
    /** Shorter than any secret, longer than any run an unrelated text would share with one by chance. */
    static final int RUN = 20;

    @TempDir
    Path dir;

    @Test
    void secrets_appear_only_where_they_must() throws Exception {
        // A random master key: the test bot's usual all-zero one would be "found" in any zero-filled page.
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        String masterKeyText = Base64.getEncoder().encodeToString(masterKey);
        KeyPair pair = TestKeys.ecP256();
        String pem = TestKeys.p8Pem(pair);
        byte[] der = TestKeys.applePkcs8(pair);
        byte[] scalar = unsigned32(((ECPrivateKey) pair.getPrivate()).getS());

        String logText;
        String slackText;
        String ascText;
        byte[] database;
        String token;
        Set<String> jwts;
        List<FakeSlack.Call> slackCalls;
        try (LogCapture logs = new LogCapture(); FakeSlack slack = new FakeSlack(); FakeAsc asc = new FakeAsc()) {
            FakeAsc.Account account = asc.addAccount(TEAM_ID, "Secretive Inc");
            account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
            account.addCertificate("Apple Distribution: Secretive Inc", FakeAsc.CertificateType.DISTRIBUTION,
                    Instant.now().plus(Duration.ofDays(200)));
            Map<String, String> env = TestBot.environment(slack, dir);
            env.put("ASC_API_URL", asc.url());
            env.put("MASTER_KEY", masterKeyText);
            try (AscOnboard bot = TestBot.start(env, Clock.systemUTC())) {
                SlackRequests requests = new SlackRequests(bot.port());
                TicketDriver driver = new TicketDriver(slack, requests);
                TicketDriver.Opened ticket = driver.open("Secretive Inc", "Secretive Inc", TEAM_ID, ISSUER, KEY_ID);
                String url = driver.uploadLink(ticket);
                token = url.substring(url.lastIndexOf('/') + 1);

                UploadClient browser = new UploadClient();
                assertThat(browser.get(url).status()).isEqualTo(200);
                assertThat(browser.upload(url, "AuthKey_" + KEY_ID + ".p8", pem.getBytes(StandardCharsets.UTF_8))
                        .status()).isEqualTo(200);
                driver.update(ticket, "✅ verified");
                driver.reply(ticket, "verification: ✅ verified");
                // A second verification signs with the stored (sealed, then unsealed) key.
                requests.click("ticket_verify", ticket.number(), ticket.ts());
                slack.await("chat.postMessage", 2, c -> ticket.ts().equals(c.param("thread_ts"))
                        && c.param("text").contains("verification: ✅ verified"));
                assertThat(SlackRequests.text(requests.command("status " + ticket.key()))).contains("verified");

                try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath())) {
                    c.createStatement().execute("CHECKPOINT SYNC");
                }
                database = Files.readAllBytes(dir.resolve("db.mv.db"));
                slackText = slack.everythingSent();
                slackCalls = slack.calls();
                List<String> ascParts = new ArrayList<>();
                for (FakeAsc.Request r : asc.requests()) {
                    ascParts.add(r + " " + r.path() + " " + r.body() + " " + r.jwtHeader() + " " + r.jwtClaims());
                }
                ascText = String.join("\n", ascParts);
                jwts = asc.tokensPresented();
            }
            logText = logs.text();
        }
        String databaseText = new String(database, StandardCharsets.ISO_8859_1);
        assertThat(jwts).as("the bot did talk to App Store Connect").isNotEmpty();
        assertThat(logText).as("the log is not empty, so searching it means something").contains("API key received");

        Map<String, String> everywhere = new LinkedHashMap<>();
        everywhere.put("the log", logText);
        everywhere.put("Slack calls", slackText);
        everywhere.put("requests to Apple", ascText);
        everywhere.put("the database file", databaseText);

        // The key: its PEM body, its DER in base64, base64url and hex, its private scalar.
        Map<String, String> keyForms = Map.of("PEM body", TestKeys.body(pem),
                "base64url DER", Base64.getUrlEncoder().withoutPadding().encodeToString(der),
                "hex DER", HexFormat.of().formatHex(der), "hex scalar", HexFormat.of().formatHex(scalar));
        keyForms.forEach((form, secret) -> everywhere.forEach((where, text) ->
                assertThat(sharedRun(text, secret)).as("the key's " + form + " in " + where).isNull()));
        assertThat(Bytes.indexOf(database, java.util.Arrays.copyOfRange(der, der.length - RUN, der.length)))
                .as("the key's DER in the database file").isEqualTo(-1);
        assertThat(Bytes.indexOf(database, scalar)).as("the private scalar in the database file").isEqualTo(-1);

        // The master key, as configured and as bytes.
        everywhere.forEach((where, text) -> assertThat(sharedRun(text, masterKeyText))
                .as("the master key in " + where).isNull());
        everywhere.forEach((where, text) -> assertThat(sharedRun(text, HexFormat.of().formatHex(masterKey)))
                .as("the master key's hex in " + where).isNull());
        assertThat(Bytes.indexOf(database, java.util.Arrays.copyOf(masterKey, RUN))).as("the master key's bytes")
                .isEqualTo(-1);

        // The signing secret: nowhere.
        everywhere.forEach((where, text) -> assertThat(text).as("the signing secret in " + where)
                .doesNotContain(SlackRequests.SIGNING_SECRET));

        // The bot token: only in what authenticates the calls to Slack.
        assertThat(logText).as("the bot token in the log").doesNotContain(FakeSlack.BOT_TOKEN);
        assertThat(databaseText).as("the bot token in the database").doesNotContain(FakeSlack.BOT_TOKEN);
        assertThat(ascText).as("the bot token in requests to Apple").doesNotContain(FakeSlack.BOT_TOKEN);
        assertThat(slackText).as("the bot token in Slack call bodies (it goes in the Authorization header)")
                .doesNotContain(FakeSlack.BOT_TOKEN);

        // The upload token: in the one message to the engineer who asked for the link, and nowhere else.
        assertThat(logText).as("the upload token in the log").doesNotContain(token);
        assertThat(databaseText).as("the upload token in the database (only its hash belongs there)")
                .doesNotContain(token);
        assertThat(ascText).doesNotContain(token);
        List<FakeSlack.Call> withToken = slackCalls.stream().filter(c -> c.rawBody().contains(token)).toList();
        assertThat(withToken).hasSize(1);
        assertThat(withToken.get(0).method()).isEqualTo("chat.postEphemeral");
        assertThat(withToken.get(0).param("user")).isEqualTo(SlackRequests.USER);

        // The tokens signed for Apple: not kept, not logged, not told to Slack.
        for (String jwt : jwts) {
            String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
            everywhere.forEach((where, text) -> {
                assertThat(text).as("a JWT sent to Apple, in " + where).doesNotContain(jwt);
                assertThat(sharedRun(text, signature)).as("a JWT's signature, in " + where).isNull();
            });
        }
    }

    /** A {@value #RUN}-character piece of {@code secret} that {@code text} contains, or null. */
    static String sharedRun(String text, String secret) {
        for (int start = 0; start + RUN <= secret.length(); start++) {
            String piece = secret.substring(start, start + RUN);
            if (text.contains(piece)) {
                return piece;
            }
        }
        return null;
    }

    static byte[] unsigned32(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int skip = Math.max(0, bytes.length - 32);
        System.arraycopy(bytes, skip, out, 32 - (bytes.length - skip), bytes.length - skip);
        return out;
    }
}
