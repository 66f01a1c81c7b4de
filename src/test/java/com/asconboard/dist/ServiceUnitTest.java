package com.asconboard.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit shipped in src/main/dist: what it promises the operator, and systemd's own lint. */
class ServiceUnitTest {
    private static final Path UNIT = Path.of(System.getProperty("basedir", "."), "src/main/dist/asc-onboard.service");

    @TempDir
    Path dir;

    @Test
    void the_unit_passes_systemd_analyze_verify_without_a_warning() throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"),
                "systemd-analyze is not installed here: the unit is not linted (install systemd to lint it)");
        // verify checks that ExecStart's program exists: where Java lives elsewhere, lint a copy naming this one.
        String text = Files.readString(UNIT);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            text = text.replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ");
        }
        Path copy = dir.resolve("asc-onboard.service");
        Files.writeString(copy, text);

        Process lint = new ProcessBuilder("systemd-analyze", "verify", copy.toString()).redirectErrorStream(true)
                .start();
        assertThat(lint.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze ends").isTrue();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(lint.exitValue()).as(output).isZero();
        assertThat(output).as("warnings about the unit").doesNotContain("asc-onboard.service");
    }

    @Test
    void the_unit_runs_as_its_own_user_with_its_state_directory_and_the_master_key_as_a_credential()
            throws IOException {
        Map<String, List<String>> service = directives();

        assertThat(service.get("DynamicUser")).containsExactly("yes");
        assertThat(service.get("StateDirectory")).containsExactly("asc-onboard");
        assertThat(service.get("EnvironmentFile")).singleElement().asString().startsWith("/etc/asc-onboard/");
        assertThat(service.get("LoadCredential")).containsExactly("master.key:/etc/asc-onboard/master.key");
        assertThat(service.get("Environment")).contains("MASTER_KEY_FILE=%d/master.key");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(service.get("SuccessExitStatus")).containsExactly("143");
        assertThat(service.get("CapabilityBoundingSet")).containsExactly("");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service).doesNotContainKey("MemoryDenyWriteExecute");
    }

    @Test
    void systemd_waits_longer_than_the_default_drain_and_the_bounded_shutdown_take() throws IOException {
        Duration drain = Settings.fromEnvironment(Map.of(), Settings.Purpose.CLI).drainDelay();
        // Requests in flight get up to 10 s, background work up to 20 s (AscOnboard.close).
        Duration shutdown = drain.plusSeconds(10).plusSeconds(20);

        String timeout = directives().get("TimeoutStopSec").get(0);

        assertThat(Duration.ofSeconds(Long.parseLong(timeout.replace("s", "")))).isGreaterThan(shutdown);
    }

    /** The [Service] section's directives, each with every value it is given, in order. */
    private static Map<String, List<String>> directives() throws IOException {
        Map<String, List<String>> directives = new java.util.LinkedHashMap<>();
        boolean inService = false;
        for (String line : Files.readAllLines(UNIT)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inService = trimmed.equals("[Service]");
            } else if (inService && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                String value = trimmed.substring(eq + 1);
                if (value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                directives.computeIfAbsent(trimmed.substring(0, eq), k -> new java.util.ArrayList<>()).add(value);
            }
        }
        return directives;
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }
}
