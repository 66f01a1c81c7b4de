package com.asconboard.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The bot's real entry point in a JVM of its own, as an operator starts it; its output goes to a file. */
public final class BotProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private BotProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code Main} with exactly {@code env} (plus PATH) in {@code dir}, logging to {@code dir/bot.log}. */
    public static BotProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return start(dir, env, List.of(), args);
    }

    /** As {@link #start(Path, Map, String...)}, with JVM options such as {@code -Xmx256m}. */
    public static BotProcess start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The tests' short job leases (TestBot.TIMING), so that a killed instance's work is taken over in seconds.
        command.add("-Dasconboard.jobs.poll=" + TestBot.TIMING.poll());
        command.add("-Dasconboard.jobs.heartbeat=" + TestBot.TIMING.heartbeat());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.asconboard.Main");
        command.addAll(List.of(args));
        Path log = dir.resolve("bot-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"));
        builder.environment().putAll(env);
        return new BotProcess(builder.start(), log);
    }

    /** Waits until {@code GET /healthz} answers 200 on {@code port}, or fails. */
    public BotProcess awaitHealthy(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the bot did not become healthy; its output:\n" + output());
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the bot did not exit within 60 s");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: a crash, with no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    public File logFile() {
        return log.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
