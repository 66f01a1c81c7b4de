package com.asconboard.testing;

import com.asconboard.AscOnboard;
import com.asconboard.config.Settings;
import java.nio.file.Path;
import com.asconboard.jobs.JobTiming;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Starts the real bot on a free port against a fake Slack, with its database in a test folder. */
public final class TestBot {
    public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private TestBot() {
    }

    /** Short job leases, so that a test sees a dead instance's work taken over within seconds. */
    public static final JobTiming TIMING = new JobTiming(Duration.ofMillis(100), Duration.ofMillis(250), 4, 4);

    /** The environment a test bot runs with (H2 in {@code dir}); tests add or override variables. */
    public static Map<String, String> environment(FakeSlack slack, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SlackRequests.SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        int port = freePort();
        env.put("PORT", Integer.toString(port));
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        env.put("MASTER_KEY", MASTER_KEY);
        env.put("DRAIN_DELAY", "PT0S");
        env.put("MANAGEMENT_PORT", "0");
        return env;
    }

    /** The environment of a test bot on a fresh database of this kind. */
    public static Map<String, String> environment(FakeSlack slack, Path dir, TestDatabases.Kind database) {
        Map<String, String> env = environment(slack, dir);
        env.put("DATABASE_URL", TestDatabases.fresh(database, dir));
        return env;
    }

    public static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static AscOnboard start(Map<String, String> env, Clock clock) {
        try {
            return AscOnboard.start(Settings.fromEnvironment(env, Settings.Purpose.SERVE), clock, TIMING);
        } catch (Exception e) {
            throw new IllegalStateException("test bot did not start", e);
        }
    }

    public static AscOnboard start(FakeSlack slack, Path dir) {
        return start(environment(slack, dir), Clock.systemUTC());
    }
}
