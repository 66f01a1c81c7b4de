package com.asconboard.bench;

import com.asconboard.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server the benchmark's bots share: the one named by {@code -Dbench.postgres.url} (a JDBC URL of
 * its maintenance database), or a throwaway cluster of the benchmark's own, started with the installed
 * {@code initdb} and {@code pg_ctl} (as {@code .ci/run} does) and removed at the end. Unlike the test cluster of
 * {@code .ci/run}, the benchmark's keeps PostgreSQL's defaults ({@code fsync} and {@code synchronous_commit}
 * on): a commit is on disk before the bot acks, which is what "durable" costs on this machine.
 */
final class Postgres implements AutoCloseable {
    private final String adminUrl;
    private final String description;
    private final Runnable stop;
    private int databases;

    private Postgres(String adminUrl, String description, Runnable stop) {
        this.adminUrl = adminUrl;
        this.description = description;
        this.stop = stop;
    }

    /** The server to use, or empty (with the reason logged) when none is given and PostgreSQL is not installed. */
    static Optional<Postgres> start(Path dir) throws IOException, InterruptedException {
        String given = System.getProperty("bench.postgres.url", "");
        if (!given.isBlank()) {
            return Optional.of(new Postgres(given, "the server of -Dbench.postgres.url", () -> { }));
        }
        Optional<Path> bin = installedBin();
        if (bin.isEmpty()) {
            SystemBench.log("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and "
                    + "-Dbench.postgres.url is not set: the PostgreSQL rows are skipped");
            return Optional.empty();
        }
        return Optional.of(cluster(bin.get(), dir));
    }

    String description() {
        return description;
    }

    /** A JDBC URL of a new, empty database on this server. */
    synchronized String freshDatabase(String purpose) {
        String name = "bench_" + purpose.replaceAll("[^a-z0-9]", "_") + "_" + (++databases);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on " + adminUrl + ": " + e.getMessage(), e);
        }
        return adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** A setting of the server, e.g. {@code fsync}, as SHOW prints it. */
    String setting(String name) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement();
                var rs = s.executeQuery("SHOW " + name)) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        stop.run();
    }

    private static Optional<Path> installedBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())));
        }
    }

    private static Integer version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** initdb refuses to run as root: then the cluster belongs to the postgres user. */
    private static Postgres cluster(Path bin, Path dir) throws IOException, InterruptedException {
        Path pgDir = dir.toAbsolutePath();
        SystemBench.deleteTree(pgDir);
        Files.createDirectories(pgDir);
        List<String> asPostgres = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("chown", "postgres", pgDir.toString()), pgDir);
            asPostgres.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        int port = TestBot.freePort();
        Path data = pgDir.resolve("data");
        run(with(asPostgres, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U",
                "postgres"), pgDir);
        run(with(asPostgres, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                pgDir.resolve("log").toString(), "-w", "-o", "-p " + port + " -k " + pgDir
                        + " -c listen_addresses=127.0.0.1 -c max_connections=200", "start"), pgDir);
        List<String> stop = with(asPostgres, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                "stop");
        SystemBench.log("started a PostgreSQL cluster of its own on 127.0.0.1:" + port + " (" + bin.getParent()
                .getFileName() + ", default settings)");
        return new Postgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres",
                "a cluster of its own (PostgreSQL " + bin.getParent().getFileName() + ", initdb defaults: fsync on, "
                        + "synchronous_commit on; max_connections 200)", () -> {
                            try {
                                run(stop, pgDir);
                                SystemBench.deleteTree(pgDir);
                            } catch (IOException | InterruptedException | RuntimeException e) {
                                SystemBench.log("could not stop the PostgreSQL cluster: " + e);
                            }
                        });
    }

    private static List<String> with(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** The number a {@code SELECT COUNT(*)} query answers on the database at {@code url}. */
    static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
