package com.asconboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real entry point in its own JVM, as an operator would. */
class MainTest {
    @TempDir
    Path dir;

    Process launch(Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"));
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void missing_configuration_exits_2_naming_every_missing_variable() throws Exception {
        Process process = launch(Map.of("PORT", "abc"));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("SLACK_BOT_TOKEN is required", "SLACK_SIGNING_SECRET is required",
                "PORT must be a port number");
        assertThat(new File(dir.toFile(), "data")).doesNotExist();
    }

    @Test
    void an_unknown_command_exits_2_with_usage() throws Exception {
        Process process = launch(Map.of(), "frobnicate");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("Unknown command 'frobnicate'", "Usage");
    }
}
