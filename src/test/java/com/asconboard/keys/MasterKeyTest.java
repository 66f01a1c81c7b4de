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
        assertThat(loaded).hasToString("MasterKey[****]");
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

    @Test
    void a_created_master_key_is_random_never_all_zeros_and_never_the_same_twice() throws Exception {
        MasterKey first = MasterKey.load(settings(Map.of()));
        MasterKey second = MasterKey.load(settings(Map.of("MASTER_KEY_FILE", dir.resolve("other/master.key").toString())));

        assertThat(first.bytes()).hasSize(MasterKey.LENGTH).isNotEqualTo(new byte[MasterKey.LENGTH]);
        assertThat(second.bytes()).isNotEqualTo(new byte[MasterKey.LENGTH]).isNotEqualTo(first.bytes());
        assertThat(Base64.getDecoder().decode(Files.readString(dir.resolve("sub/master.key")).strip()))
                .as("the file holds the key in use").isEqualTo(first.bytes());
    }

    @Test
    void the_key_handed_out_is_a_copy_the_caller_may_wipe() {
        byte[] key = new byte[32];
        key[31] = 9;
        MasterKey loaded = MasterKey.fromBase64(Base64.getEncoder().encodeToString(key));

        java.util.Arrays.fill(loaded.bytes(), (byte) 0);

        assertThat(loaded.bytes()).isEqualTo(key);
    }

    @Test
    void a_master_key_of_31_or_33_bytes_is_refused_and_32_is_taken() {
        for (int length : new int[] {31, 33}) {
            String base64 = Base64.getEncoder().encodeToString(new byte[length]);
            assertThatThrownBy(() -> MasterKey.fromBase64(base64)).as(length + " bytes")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a master key is 32 bytes, got " + length);
        }
        assertThat(MasterKey.fromBase64(" " + Base64.getEncoder().encodeToString(new byte[32]) + "\n").bytes())
                .hasSize(32);
    }
}
