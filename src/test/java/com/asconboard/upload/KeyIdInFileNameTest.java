package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Key ID taken from the file name is checked like one typed in the form, and no log line carries the link. */
class KeyIdInFileNameTest {
    @TempDir
    Path dir;
    final UploadClient browser = new UploadClient();

    static byte[] validKey() {
        return TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void an_overlong_key_id_in_the_file_name_gets_a_400_and_no_log_line_carries_the_token() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = TestBot.start(slack, dir)) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port()));
            // No Key ID on the ticket yet: the file name would supply it.
            TicketDriver.Opened ticket = driver.open("Long Name Ltd", "Team", "TEAM123456", null, null);
            String link = driver.uploadLink(ticket);
            String token = link.substring(link.lastIndexOf('/') + 1);

            try (LogCapture logs = new LogCapture()) {
                for (String id : new String[] {"A".repeat(11), "B".repeat(200), "ABC123456"}) {
                    UploadClient.Answer answer = browser.upload(link, "AuthKey_" + id + ".p8", validKey());
                    assertThat(answer.status()).as(id).isEqualTo(400);
                    assertThat(answer.body()).as(id).contains("10 letters or digits").doesNotContain(id);
                }
                assertThat(logs.text()).doesNotContain(token);
            }
            assertThat(browser.upload(link, "AuthKey_LONG000001.p8", validKey()).status())
                    .as("the link stays usable").isEqualTo(200);
            assertThat(driver.reply(ticket, "through the secure link").param("text")).contains("LONG000001");
        }
    }
}
