package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot is killed in the middle of a verification; after a restart the verification finishes. */
class CrashTest {
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    @TempDir
    Path dir;

    @Test
    void a_verification_cut_short_by_a_crash_is_finished_after_restart() throws Exception {
        try (FakeSlack slack = new FakeSlack(); FakeAsc asc = new FakeAsc()) {
            FakeAsc.Account account = asc.addAccount("CRASH00001", "Crash Ltd");
            KeyPair pair = TestKeys.ecP256();
            account.addKey("CRASHKEY01", ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
            Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
            env.put("ASC_API_URL", asc.url());
            int port = Integer.parseInt(env.get("PORT"));
            TicketDriver.Opened ticket;
            try (BotProcess bot = BotProcess.start(dir, env)) {
                bot.awaitHealthy(port);
                TicketDriver driver = new TicketDriver(slack, new SlackRequests(port));
                ticket = driver.open("Crash Ltd", "Crash Ltd", "CRASH00001", ISSUER, "CRASHKEY01");
                String link = driver.uploadLink(ticket);
                // Apple is slow to answer: the bot dies while it waits.
                asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(4)));
                new UploadClient().upload(link, "AuthKey_CRASHKEY01.p8",
                        TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8));
                driver.reply(ticket, "started verifying");
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (asc.requests("/v1/apps").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(asc.requests("/v1/apps")).as("the verification was under way").isNotEmpty();

                bot.kill();
            }
            asc.clearFaults();

            try (AscOnboard restarted = TestBot.start(env, Clock.systemUTC())) {
                TicketDriver driver = new TicketDriver(slack, new SlackRequests(restarted.port()));
                driver.reply(ticket, "verification: ✅ verified");
                driver.update(ticket, "✅ verified");
            }
        }
    }
}
