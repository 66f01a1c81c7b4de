package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadRateLimitTest {
    @TempDir
    Path dir;

    @Test
    void an_address_with_many_refused_uploads_is_slowed_down_then_let_back_in() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (FakeSlack slack = new FakeSlack();
                AscOnboard bot = TestBot.start(TestBot.environment(slack, dir), clock)) {
            UploadClient browser = new UploadClient();
            String base = "http://127.0.0.1:" + bot.port() + "/upload/";
            byte[] junk = "junk".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50; i++) {
                String token = String.format("%043d", i);
                assertThat(browser.upload(base + token, "AuthKey_X.p8", junk).status()).isEqualTo(404);
            }

            UploadClient.Answer limited = browser.upload(base + "Z".repeat(43), "AuthKey_X.p8", junk);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotBlank();
            assertThat(limited.body()).contains("Too many uploads were refused from your network");
            assertThat(browser.get(base + "Z".repeat(43)).status()).as("pages still load").isEqualTo(404);

            clock.advance(Duration.ofMinutes(11));
            assertThat(browser.upload(base + "Z".repeat(43), "AuthKey_X.p8", junk).status()).isEqualTo(404);
        }
    }
}
