package com.asconboard.testing;

import com.asconboard.AscOnboard;
import com.asconboard.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Starts the real bot on a free port against a fake Slack, with its database in a test folder. */
public final class TestBot {
    public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private TestBot() {
    }

    /** The environment a test bot runs with; tests add or override variables. */
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
            return AscOnboard.start(Settings.fromEnvironment(env, Settings.Purpose.SERVE), clock);
        } catch (Exception e) {
            throw new IllegalStateException("test bot did not start", e);
        }
    }

    public static AscOnboard start(FakeSlack slack, Path dir) {
        return start(environment(slack, dir), Clock.systemUTC());
    }
}
