package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.cli.Migrate;
import com.asconboard.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Migrating PostgreSQL: the {@code migrate} deploy step, and several instances starting on an empty database. */
class MigrationsTest {
    @Test
    void migrate_applies_every_migration_to_an_empty_database_and_exits_0() throws Exception {
        String url = TestDatabases.freshPostgres();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Migrate.run(new String[0], Map.of("DATABASE_URL", url), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("is migrated to the current schema");
        try (Database database = Database.open(url, "", "")) {
            assertThat(database.migrationsApplied()).isTrue();
        }
        assertThat(Migrate.run(new String[0], Map.of("DATABASE_URL", url), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .as("a second run finds nothing to do").isZero();
    }

    @Test
    void four_instances_opening_an_empty_database_at_once_all_come_up_on_one_schema() throws Exception {
        String url = TestDatabases.freshPostgres();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Database>> opening = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return Database.open(url, "", "");
                }));
            }
            start.countDown();
            List<Database> opened = new ArrayList<>();
            for (Future<Database> f : opening) {
                opened.add(f.get());
            }
            for (Database database : opened) {
                assertThat(database.migrationsApplied()).isTrue();
            }
            try (var c = opened.get(0).dataSource().getConnection();
                    var rs = c.createStatement().executeQuery(
                            "SELECT COUNT(*), COUNT(DISTINCT version) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("each migration applied once").isEqualTo(rs.getInt(2)).isPositive();
            }
            opened.forEach(Database::close);
        } finally {
            pool.shutdownNow();
        }
    }
}
