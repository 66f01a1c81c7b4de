package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    Settings settings(Map<String, String> extra) {
        var env = new java.util.HashMap<>(extra);
        env.put("SLACK_BOT_TOKEN", "xoxb-1");
        env.put("SLACK_SIGNING_SECRET", "s");
        env.putIfAbsent("MASTER_KEY_FILE", dir.resolve("sub/master.key").toString());
        return Settings.fromEnvironment(env, Settings.Purpose.SERVE);
    }

    @Test
    void first_start_creates_a_private_key_file_and_later_starts_reuse_it() throws Exception {
        Path file = dir.resolve("sub/master.key");

        MasterKey created = MasterKey.load(settings(Map.of()));

        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(MasterKey.load(settings(Map.of())).bytes()).isEqualTo(created.bytes());
    }

    @Test
    void inline_key_overrides_the_file() {
        byte[] key = new byte[32];
        key[0] = 7;
        MasterKey loaded = MasterKey.load(settings(Map.of("MASTER_KEY", Base64.getEncoder().encodeToString(key))));
        assertThat(loaded.bytes()).isEqualTo(key);
        assertThat(dir.resolve("sub/master.key")).doesNotExist();
        assertThat(loaded.toString()).doesNotContain(Base64.getEncoder().encodeToString(key));
    }

    @Test
    void a_key_file_other_users_can_read_is_refused_with_the_command_that_fixes_it() throws Exception {
        Path file = dir.resolve("sub/master.key");
        MasterKey created = MasterKey.load(settings(Map.of()));
        String stored = Files.readString(file).strip();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.load(settings(Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600 " + file.toAbsolutePath())
                .hasMessageNotContaining(stored);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(MasterKey.load(settings(Map.of())).bytes()).isEqualTo(created.bytes());
    }

    @Test
    void a_key_file_its_group_can_write_or_read_is_refused() throws Exception {
        Path file = dir.resolve("sub/master.key");
        MasterKey.load(settings(Map.of()));
        for (String mode : new String[] {"rw--w----", "rw-r-----", "r-------x", "rw----r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> MasterKey.load(settings(Map.of()))).as(mode)
                    .hasMessageContaining("can be read or written by other users");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(MasterKey.load(settings(Map.of())).bytes()).hasSize(32);
    }
}
