package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot as an operator starts it will not serve with a master key file other users can read. */
class SharedMasterKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void the_bot_does_not_start_with_a_world_readable_master_key_file() throws Exception {
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        try (FakeSlack slack = new FakeSlack()) {
            Map<String, String> env = TestBot.environment(slack, dir);
            env.remove("MASTER_KEY");
            env.put("MASTER_KEY_FILE", keyFile.toString());
            try (BotProcess bot = BotProcess.start(dir, env)) {
                assertThat(bot.awaitExit()).isNotZero();
                assertThat(bot.output()).contains("could not start", "chmod 600 " + keyFile.toAbsolutePath())
                        .doesNotContain("serving on port");
            }
        }
    }
}
