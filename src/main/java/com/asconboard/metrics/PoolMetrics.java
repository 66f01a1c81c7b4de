package com.asconboard.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connection pool's own meters ({@code hikaricp_connections_*}: active, idle, pending, timeouts, acquire
 * and usage times), recorded by HikariCP's Micrometer tracker. HikariCP accepts the registry once, also after
 * the pool has started, so the database can be opened before metrics exist and needs no hook of its own.
 */
public final class PoolMetrics {
    private PoolMetrics() {
    }

    /** {@code dataSource} is the pool of {@code Database.dataSource()}. */
    public static void bind(DataSource dataSource, MeterRegistry registry) {
        try {
            dataSource.unwrap(HikariDataSource.class).setMetricRegistry(registry);
        } catch (SQLException e) {
            throw new IllegalArgumentException("the data source is not a HikariCP pool: "
                    + dataSource.getClass().getName(), e);
        }
    }
}
