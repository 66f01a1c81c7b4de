package com.asconboard.store;

import com.asconboard.ticket.Transactions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection to the configured database, migrated to the current schema on open. */
public final class Database implements Transactions, AutoCloseable {
    private final HikariDataSource dataSource;
    /** Shared by every repository, so that their statements join one another's transactions. */
    private final Jdbc jdbc;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("asc-onboard");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            tuneH2(dataSource, jdbcUrl);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /** The H2 page cache, in KiB, unless the URL sets {@code CACHE_SIZE}; see {@link #tuneH2}. */
    static final int H2_CACHE_KIB = 1024;

    /**
     * Two settings for an H2 file database. H2 writes committed changes to its file up to a second later
     * by default; a crashed process would lose them (an uploaded key, a ticket), so each commit is written
     * at once. And every page a commit writes enters H2's page cache (16 MiB by default): a larger cache
     * keeps thousands of freshly written pages alive, which the garbage collector then copies in each
     * young collection, pausing every request in flight. 1 MiB holds the hot indexes and recent tickets
     * (with 4 MiB, twice as much survived each young collection in the benchmark); the file itself stays
     * in the operating system's cache.
     */
    private static void tuneH2(HikariDataSource dataSource, String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:h2:mem:")) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            if (!jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains(";CACHE_SIZE=")) {
                statement.execute("SET CACHE_SIZE " + H2_CACHE_KIB);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the H2 settings: " + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return jdbc.inTransaction("committing changes", c -> work.get());
    }

    /** True when the database answers a trivial query within a second. */
    public boolean isHealthy() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
