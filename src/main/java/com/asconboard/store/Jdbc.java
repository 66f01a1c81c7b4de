package com.asconboard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The little JDBC this project needs: one statement per call, parameters bound in order. All the
 * repositories of one {@link Database} share one instance, so that a statement made while the
 * thread is inside {@link #inTransaction} joins that transaction, whichever repository makes it.
 */
final class Jdbc {
    private final DataSource dataSource;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    interface Transaction<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * Called inside another transaction, it joins it: the outermost one commits.
     */
    <T> T inTransaction(String what, Transaction<T> work) {
        Connection joined = transaction.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                transaction.set(c);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    c.rollback();
                    throw e;
                } finally {
                    transaction.remove();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }

    /** One statement on a connection the caller holds (inside {@link #inTransaction}). */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        }
    }

    int update(String sql, Object... params) {
        return withConnection("update", sql, c -> update(c, sql, params));
    }

    long insert(String sql, Object... params) {
        return withConnection("insert", sql, c -> {
            try (PreparedStatement s = c.prepareStatement(sql, new String[] {"id"})) {
                bind(s, params);
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new StoreException("insert returned no id: " + firstWords(sql), null);
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection("query", sql, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, params);
                try (ResultSet rows = s.executeQuery()) {
                    List<T> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(mapper.map(rows));
                    }
                    return result;
                }
            }
        });
    }

    /** Runs one statement on the thread's transaction if it is in one, else on a connection of its own. */
    private <T> T withConnection(String kind, String sql, Transaction<T> work) {
        Connection joined = transaction.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException(kind + " failed: " + firstWords(sql), e);
        }
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * Timestamps are {@code TIMESTAMP WITH TIME ZONE}, read and written as {@link OffsetDateTime} in UTC: the
     * JVM's default time zone never takes part, whichever machine an instance runs on.
     */
    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                s.setObject(i + 1, utc(instant));
            } else if (p == null) {
                s.setNull(i + 1, Types.NULL);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    /** Whether the calling thread is inside {@link #inTransaction}. */
    boolean inTransaction() {
        return transaction.get() != null;
    }

    /** The connection of the calling thread's transaction, or null outside one. */
    Connection current() {
        return transaction.get();
    }

    /** Names the statement in errors without any bound values. */
    private static String firstWords(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() > 60 ? flat.substring(0, 60) + "…" : flat;
    }
}
