package com.asconboard.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Looks for some bytes anywhere in a database: in every column of every row of every table of the application's
 * schema, as bytes, or as text holding them in base64 or hex. To show that a destroyed secret left no copy.
 */
public final class DatabaseScan {
    private DatabaseScan() {
    }

    /** The tables (lower case) holding {@code needle} in some row. */
    public static List<String> tablesHolding(Connection connection, byte[] needle) throws SQLException {
        List<String> tables = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && schema.equalsIgnoreCase("public")) {
                    names.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        String base64 = Base64.getEncoder().encodeToString(needle);
        String hex = HexFormat.of().formatHex(needle);
        for (String table : names) {
            try (Statement s = connection.createStatement();
                    ResultSet rows = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                int columns = rows.getMetaData().getColumnCount();
                boolean found = false;
                while (rows.next() && !found) {
                    for (int i = 1; i <= columns && !found; i++) {
                        Object value = rows.getObject(i);
                        if (value instanceof java.sql.Blob blob) {
                            value = blob.getBytes(1, (int) blob.length());
                        } else if (value instanceof java.sql.Clob clob) {
                            value = clob.getSubString(1, (int) clob.length());
                        }
                        if (value instanceof byte[] bytes) {
                            found = indexOf(bytes, needle) >= 0
                                    || new String(bytes, StandardCharsets.ISO_8859_1).contains(base64);
                        } else if (value != null) {
                            String text = value.toString();
                            found = text.contains(base64) || text.toLowerCase(Locale.ROOT).contains(hex);
                        }
                    }
                }
                if (found) {
                    tables.add(table.toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
