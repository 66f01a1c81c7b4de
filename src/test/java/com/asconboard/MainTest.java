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
        return launch(env, null, args);
    }

    Process launch(Map<String, String> env, File log, String... args) throws Exception {
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
        if (log != null) {
            builder.redirectOutput(log);
        }
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

    @Test
    void sigterm_stops_the_server_gracefully() throws Exception {
        try (var slack = new com.asconboard.testing.FakeSlack()) {
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var env = new java.util.HashMap<>(com.asconboard.testing.TestBot.environment(slack, dir));
            env.put("PORT", Integer.toString(port));
            // Process.destroy() closes the pipes, so the log goes to a file to be read after the stop.
            File log = dir.resolve("bot.log").toFile();
            Process process = launch(env, log);
            var http = java.net.http.HttpClient.newHttpClient();
            var health = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline && process.isAlive()) {
                try {
                    status = http.send(health, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(status).as("healthy before SIGTERM").isEqualTo(200);

            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = java.nio.file.Files.readString(log.toPath());
            assertThat(process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
            assertThat(output).contains("asc-onboard serving on port " + port, "asc-onboard stopped");
            assertThat(output).doesNotContain(com.asconboard.testing.FakeSlack.BOT_TOKEN,
                    com.asconboard.testing.SlackRequests.SIGNING_SECRET);
        }
    }
}
