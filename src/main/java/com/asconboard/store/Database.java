package com.asconboard.store;

import com.asconboard.ticket.Transactions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pooled connection to the configured database, migrated to the current schema on open: H2 embedded
 * (one instance) or PostgreSQL (any number of instances, coordinated by this database alone).
 */
public final class Database implements Transactions, AutoCloseable {
    /** Migrations both databases run, and those written for the one in use (db/migration/h2 or …/postgresql). */
    static String[] migrations(String jdbcUrl) {
        String vendor = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + vendor};
    }

    private final HikariDataSource dataSource;
    private final String jdbcUrl;
    private final boolean postgres;
    /** Shared by every repository, so that their statements join one another's transactions. */
    private final Jdbc jdbc;
    /** What Flyway's migrate said when the database was opened. */
    private final boolean migrated;

    private Database(HikariDataSource dataSource, String jdbcUrl, boolean migrated) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.migrated = migrated;
        this.postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        this.jdbc = new Jdbc(dataSource);
    }

    /** Opens the pool and applies the migrations (safe when several instances start at once: Flyway locks). */
    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    /** Like {@link #open(String, String, String)}; {@code tune} adjusts the pool (e.g. its metrics) before it opens. */
    public static Database open(String jdbcUrl, String user, String password,
            java.util.function.Consumer<HikariConfig> tune) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2KeepsOpenUntilClosed(jdbcUrl));
        // Unset credentials stay unset, so that the URL's own (e.g. ?user=…) apply.
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setPoolName("asc-onboard");
        config.setMaximumPoolSize(12);
        config.setConnectionTimeout(5_000);
        if (tune != null) {
            tune.accept(config);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        boolean migrated;
        try {
            tuneH2(dataSource, jdbcUrl);
            migrated = Flyway.configure().dataSource(dataSource).locations(migrations(jdbcUrl)).load().migrate()
                    .success;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, jdbcUrl, migrated);
    }

    /**
     * H2 closes a file database from its own shutdown hook when the JVM exits, under requests still being
     * answered; the bot closes it itself, last, once those have finished.
     */
    static String h2KeepsOpenUntilClosed(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.toUpperCase(Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=")) {
            return jdbcUrl;
        }
        return jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The H2 page cache, in KiB, unless the URL sets {@code CACHE_SIZE}; see {@link #tuneH2}. */
    static final int H2_CACHE_KIB = 1024;

    /**
     * Two settings for an H2 file database. H2 writes committed changes to its file up to a second later
     * by default; a crashed process would lose them (an uploaded key, a ticket), so each commit is written
     * at once. And every page a commit writes enters H2's page cache (16 MiB by default), which the garbage
     * collector then copies in each young collection; 1 MiB holds the hot indexes and recent tickets, the
     * file itself stays in the operating system's cache.
     */
    private static void tuneH2(HikariDataSource dataSource, String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:h2:mem:")) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            if (!jdbcUrl.toUpperCase(Locale.ROOT).contains(";CACHE_SIZE=")) {
                statement.execute("SET CACHE_SIZE " + H2_CACHE_KIB);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the H2 settings: " + e.getMessage(), e);
        }
    }

    public boolean isPostgres() {
        return postgres;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A data source whose connections join the calling thread's transaction when there is one: what a
     * library writes through it (a job scheduled by a change) commits or rolls back with that change.
     */
    public DataSource joiningDataSource() {
        return new JoiningDataSource(dataSource, jdbc);
    }

    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return jdbc.inTransaction("committing changes", c -> work.get());
    }

    /** The database's own clock: leases and due times of several instances are compared against it. */
    public Instant now() {
        return jdbc.queryOne("SELECT CURRENT_TIMESTAMP AS now_at", row -> Jdbc.instant(row, "now_at"))
                .orElseThrow(() -> new StoreException("the database did not tell the time", null));
    }

    /** True when the database answers a trivial query within a second. */
    public boolean isHealthy() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * True when opening applied every migration this build knows of, none failed. Taken from the migration
     * itself, which validates what was applied before and throws on a failed one; a second Flyway pass only to
     * ask again cost every start-up a few percent.
     */
    public boolean migrationsApplied() {
        return migrated;
    }

    /** Closes this pool; the database itself stays open for any other pool on it in this process. */
    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * Closes the pool, then compacts an H2 file: H2 keeps freed pages (deleted rows, destroyed secrets among
     * them) in the file until it is compacted, and a file left uncompacted only grows. Only the bot, the file's
     * owner, does this when it stops: compacting shuts the database down for every pool on it.
     */
    public void closeAndCompact() {
        close();
        if (jdbcUrl.startsWith("jdbc:h2:file:") || jdbcUrl.startsWith("jdbc:h2:./") || jdbcUrl.startsWith("jdbc:h2:~")) {
            try (Connection connection = java.sql.DriverManager.getConnection(h2KeepsOpenUntilClosed(jdbcUrl),
                    dataSource.getUsername(), dataSource.getPassword());
                    java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                org.slf4j.LoggerFactory.getLogger(Database.class).warn("compacting the H2 file failed: {}",
                        e.getMessage());
            }
        }
    }
}
