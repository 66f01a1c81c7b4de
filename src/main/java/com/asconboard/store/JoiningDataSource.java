package com.asconboard.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hands out the calling thread's transaction connection when it is inside one, else a pooled connection.
 * The joined connection ignores {@code close}, {@code commit} and {@code rollback}: the transaction that
 * owns it decides. So a job scheduled while a ticket changes is committed with the change, or not at all.
 */
final class JoiningDataSource implements DataSource {
    private static final Set<String> OWNED_BY_THE_TRANSACTION = Set.of("close", "commit", "rollback", "setAutoCommit");

    private final DataSource pool;
    private final Jdbc jdbc;

    JoiningDataSource(DataSource pool, Jdbc jdbc) {
        this.pool = pool;
        this.jdbc = jdbc;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection joined = jdbc.current();
        if (joined == null) {
            return pool.getConnection();
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (OWNED_BY_THE_TRANSACTION.contains(method.getName())) {
                        return null;
                    }
                    if ("isClosed".equals(method.getName())) {
                        return false;
                    }
                    try {
                        return method.invoke(joined, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's own credentials are used");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
