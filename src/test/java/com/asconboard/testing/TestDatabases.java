package com.asconboard.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests: an H2 file in the test's folder, or a new database on the PostgreSQL server
 * named by {@value #POSTGRES_URL} (which {@code .ci/run} starts and exports). Without that variable the
 * PostgreSQL tests are skipped with a message saying how to run them — except under CI, where that is a
 * failure.
 */
public final class TestDatabases {
    /** A JDBC URL of the test server's maintenance database, e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres. */
    public static final String POSTGRES_URL = "ASC_TEST_POSTGRES_URL";

    public enum Kind { H2, POSTGRESQL }

    private TestDatabases() {
    }

    /** A JDBC URL of a new, empty database of this kind. */
    public static String fresh(Kind kind, Path dir) {
        return kind == Kind.H2 ? "jdbc:h2:file:" + dir.resolve("db-" + UUID.randomUUID()).toAbsolutePath()
                : freshPostgres();
    }

    /** A new database on the test PostgreSQL server. */
    public static String freshPostgres() {
        String admin = postgresUrl();
        String name = "asc_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(admin);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        return admin.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** The test server's URL; skips the calling test (fails it under CI) when there is none. */
    public static String postgresUrl() {
        String url = System.getenv(POSTGRES_URL);
        if (url == null || url.isBlank()) {
            String how = "PostgreSQL tests need a server: run .ci/run, or start PostgreSQL 15+ and set " + POSTGRES_URL
                    + "=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(how);
            }
            Assumptions.abort(how);
        }
        return url;
    }
}
