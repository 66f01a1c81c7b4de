package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
    @TempDir
    Path dir;

    @Test
    void tickets_survive_a_restart_on_the_same_database_file() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            String number;
            String ts;
            try (AscOnboard bot = TestBot.start(slack, dir)) {
                var requests = new SlackRequests(bot.port());
                requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                        SlackRequests.form("Persistent Corp", "Persistent", "P1P2P3P4P5", null, null));
                FakeSlack.Call status = slack.await("chat.postMessage", c -> c.param("thread_ts") == null);
                number = status.param("text").replaceAll("^ASC-(\\d+).*", "$1");
                ts = slack.await("chat.postMessage", c -> c.param("thread_ts") != null).param("thread_ts");
            }
            slack.reset();

            try (AscOnboard bot = TestBot.start(slack, dir)) {
                var requests = new SlackRequests(bot.port());
                assertThat(SlackRequests.text(requests.command("list"))).contains("ASC-" + number, "Persistent Corp");
                assertThat(SlackRequests.text(requests.command("status ASC-" + number)))
                        .contains("Team Name Persistent · Team ID P1P2P3P4P5", "opened ASC-" + number);

                // The message posted before the restart is the one updated after it.
                requests.click("ticket_close", number, ts);
                assertThat(slack.await("chat.update").param("ts")).isEqualTo(ts);
            }
        }
    }
}
