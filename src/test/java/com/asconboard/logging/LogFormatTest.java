package com.asconboard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.TestBot;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOG_FORMAT as an operator sees it: what a JVM configured like Main writes to its standard output. */
class LogFormatTest {
    @TempDir
    Path dir;

    @Test
    void json_lines_each_parse_with_time_level_logger_message_and_instance() throws Exception {
        List<JsonObject> lines = jsonLines(run("JSON", "eu-1 \"blue\""));

        assertThat(lines).hasSize(8);
        for (JsonObject line : lines) {
            assertThat(line.keySet()).contains("time", "level", "logger", "message", "instance");
            assertThat(line.get("instance").getAsString()).isEqualTo("eu-1 \"blue\"");
            assertThat(Instant.parse(line.get("time").getAsString())).isNotNull();
            assertThat(line.get("logger").getAsString()).isEqualTo("com.asconboard.Sample");
        }
        assertThat(lines.get(0).get("level").getAsString()).isEqualTo("INFO");
        assertThat(lines.get(0).get("message").getAsString()).isEqualTo("starting with no ticket");
    }

    @Test
    void json_lines_name_the_ticket_only_while_work_is_about_it() throws Exception {
        List<JsonObject> lines = jsonLines(run("JSON", "eu-1"));

        assertThat(lines).extracting(l -> l.get("message").getAsString() + " | "
                + (l.has("ticket") ? l.get("ticket").getAsString() : "-"))
                .containsExactly(
                        "starting with no ticket | -",
                        "key received | ASC-12",
                        "nested work | ASC-13",
                        "quotes \" and a\nsecond line stay in one record | ASC-12",
                        "verification failed | ASC-12",
                        "handed to a worker | ASC-12",
                        "worker after the ticket | -",
                        "done with no ticket | -");
        JsonObject error = lines.get(4);
        assertThat(error.get("level").getAsString()).isEqualTo("ERROR");
        assertThat(error.get("stack_trace").getAsString()).contains("IllegalStateException: Apple answered 500");
    }

    @Test
    void text_stays_the_default_and_shows_the_ticket_in_brackets() throws Exception {
        String output = run("TEXT", "eu-1");

        assertThat(output).doesNotStartWith("{");
        assertThat(output).containsPattern("INFO  \\[main\\] Sample - starting with no ticket")
                .containsPattern("INFO  \\[main\\] Sample - \\[ASC-12\\] key received")
                .contains("java.lang.IllegalStateException: Apple answered 500");
    }

    @Test
    void the_served_bot_under_log_format_json_writes_only_json_lines_naming_its_instance() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            Map<String, String> env = TestBot.environment(slack, dir);
            env.put("LOG_FORMAT", "json");
            env.put("INSTANCE_ID", "blue-7");
            int port = Integer.parseInt(env.get("PORT"));
            String output;
            try (BotProcess bot = BotProcess.start(dir, env)) {
                bot.awaitHealthy(port);
                bot.terminate();
                assertThat(bot.awaitExit()).isIn(0, 143);
                output = bot.output();
            }

            List<JsonObject> lines = jsonLines(output);
            assertThat(lines).extracting(l -> l.get("message").getAsString())
                    .anyMatch(m -> m.startsWith("asc-onboard serving on port " + port))
                    .contains("asc-onboard stopped");
            assertThat(lines).allSatisfy(l -> assertThat(l.get("instance").getAsString()).isEqualTo("blue-7"));
        }
    }

    /** Each line of {@code output} as JSON; fails naming the first line that is not one JSON object. */
    private static List<JsonObject> jsonLines(String output) {
        List<JsonObject> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(JsonParser.parseString(line).getAsJsonObject());
            } catch (RuntimeException e) {
                throw new AssertionError("not one JSON object per line: " + line + "\nin:\n" + output, e);
            }
        }
        return lines;
    }

    private String run(String format, String instance) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LogLines.class.getName(), format, instance)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the logging JVM ends").isTrue();
        String output = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
