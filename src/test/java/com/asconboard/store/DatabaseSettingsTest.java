package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file database writes each commit at once and keeps a small page cache, unless its URL says otherwise. */
class DatabaseSettingsTest {
    @TempDir
    Path dir;

    @Test
    void eachCommitIsWrittenAtOnceAndThePageCacheIsOneMebibyte() throws SQLException {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("db"), "", "")) {
            assertThat(setting(database, "WRITE_DELAY")).isEqualTo("0");
            assertThat(setting(database, "CACHE_SIZE")).isEqualTo("1024");
        }
    }

    @Test
    void aCacheSizeInTheUrlWins() throws SQLException {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("db") + ";CACHE_SIZE=8192", "", "")) {
            assertThat(setting(database, "WRITE_DELAY")).isEqualTo("0");
            assertThat(setting(database, "CACHE_SIZE")).isEqualTo("8192");
        }
    }

    private static String setting(Database database, String name) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
