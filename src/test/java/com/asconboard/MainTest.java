package com.asconboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real entry point in its own JVM, as an operator would. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void missing_configuration_exits_2_naming_every_missing_variable() throws Exception {
        try (BotProcess bot = BotProcess.start(dir, Map.of("PORT", "abc"))) {
            assertThat(bot.awaitExit()).isEqualTo(2);
            assertThat(bot.output()).contains("SLACK_BOT_TOKEN is required", "SLACK_SIGNING_SECRET is required",
                    "PORT must be a port number");
        }
        assertThat(new File(dir.toFile(), "data")).doesNotExist();
    }

    @Test
    void an_unknown_command_exits_2_with_usage() throws Exception {
        try (BotProcess bot = BotProcess.start(dir, Map.of(), "frobnicate")) {
            assertThat(bot.awaitExit()).isEqualTo(2);
            assertThat(bot.output()).contains("Unknown command 'frobnicate'", "Usage");
        }
    }

    @Test
    void sigterm_stops_the_server_gracefully() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            Map<String, String> env = new HashMap<>(TestBot.environment(slack, dir));
            int port = Integer.parseInt(env.get("PORT"));
            try (BotProcess bot = BotProcess.start(dir, env)) {
                bot.awaitHealthy(port);

                bot.terminate();

                assertThat(bot.awaitExit()).as("exit status after SIGTERM").isIn(0, 143);
                assertThat(bot.output()).contains("asc-onboard serving on port " + port, "asc-onboard stopped");
                assertThat(bot.output()).doesNotContain(FakeSlack.BOT_TOKEN, SlackRequests.SIGNING_SECRET);
            }
        }
    }
}
