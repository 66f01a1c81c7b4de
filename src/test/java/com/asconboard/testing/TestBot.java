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

    /**
     * A port free now, taken below the system's ephemeral range: the bot binds it a moment later (and again after a
     * restart), and a port the kernel hands to outgoing connections could be taken by one in between.
     */
    public static int freePort() {
        int below = ephemeralLow();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(10_000, below);
            try (var socket = new java.net.ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port found between 10000 and " + below);
    }

    /** The lowest port of Linux's ephemeral range ({@code ip_local_port_range}), 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range = java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 12_000 ? low : 32_768;
        } catch (java.io.IOException | RuntimeException e) {
            return 32_768;
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
