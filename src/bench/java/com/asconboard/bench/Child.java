package com.asconboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** A server under test running as a child JVM: started, polled until healthy, measured, stopped. */
final class Child implements AutoCloseable {
    private static final OkHttpClient PROBE = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofMillis(500))
            .readTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofSeconds(5))
            .retryOnConnectionFailure(false)
            .build();

    final String name;
    final int port;
    private final Process process;
    private final long spawnedAt;
    private final Path log;

    private Child(String name, int port, Process process, long spawnedAt, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.log = log;
    }

    /** Starts {@code command} with exactly {@code env} (plus PATH, HOME and LANG), output to {@code log}. */
    static Child start(String name, int port, List<String> command, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        Files.createDirectories(workDir);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> childEnv = builder.environment();
        Map<String, String> inherited = Map.copyOf(childEnv);
        childEnv.clear();
        for (String keep : List.of("PATH", "HOME", "LANG")) {
            if (inherited.containsKey(keep)) {
                childEnv.put(keep, inherited.get(keep));
            }
        }
        childEnv.putAll(env);
        long spawnedAt = System.nanoTime();
        Process process = builder.start();
        return new Child(name, port, process, spawnedAt, log);
    }

    long pid() {
        return process.pid();
    }

    /** Nanoseconds from spawning the JVM until {@code GET /healthz} first answers 200. */
    long awaitHealthy(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/healthz").build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was "
                        + "healthy:\n" + tail());
            }
            try (Response response = PROBE.newCall(request).execute()) {
                if (response.code() == 200) {
                    return System.nanoTime() - spawnedAt;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleepMillis(5);
        }
        throw new IllegalStateException(name + " was not healthy within " + limit.toSeconds() + " s:\n" + tail());
    }

    /** CPU time (user + system) the child has used so far in ms, from /proc/&lt;pid&gt;/stat; -1 without /proc. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the line, counted in USER_HZ ticks (100 per second on Linux)
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The resident set size in KiB, from /proc/&lt;pid&gt;/status (VmRSS), or -1 where there is no /proc. */
    long rssKib() {
        return procStatus("VmRSS:");
    }

    /** The peak resident set size in KiB (VmHWM). */
    long peakRssKib() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** What {@code jcmd <pid> GC.heap_info} says (used and committed heap), or empty when jcmd is missing. */
    String heapInfo() {
        return jcmd("GC.heap_info");
    }

    /** Runs a full GC in the child ({@code jcmd <pid> GC.run}), so that the heap in use is the live set. */
    void fullGc() {
        jcmd("GC.run");
    }

    private String jcmd(String what) {
        return String.join("; ", jcmdLines(what).stream().filter(l -> l.contains(" total ") || l.contains("Metaspace"))
                .map(l -> l.strip().replaceAll("\\s+", " ").replaceAll(" \\[0x.*$", "")).toList());
    }

    /**
     * Milliseconds the child's JIT compilers have spent so far, from its performance counters
     * ({@code jcmd <pid> PerfCounter.print}: {@code java.ci.totalTime} in ticks of {@code sun.os.hrt.frequency}),
     * or -1 when they cannot be read.
     */
    long jitMillis() {
        Map<String, String> counters = new HashMap<>();
        for (String line : jcmdLines("PerfCounter.print")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                counters.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String ticks = counters.get("java.ci.totalTime");
        String perSecond = counters.get("sun.os.hrt.frequency");
        if (ticks == null || perSecond == null) {
            return -1;
        }
        try {
            double frequency = Double.parseDouble(perSecond);
            return frequency > 0 ? Math.round(Double.parseDouble(ticks) / frequency * 1000) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private List<String> jcmdLines(String what) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), what)
                    .redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL ({@code kill -9}): the process ends at once, with no chance to clean up. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (the bot stops gracefully), then SIGKILL after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
