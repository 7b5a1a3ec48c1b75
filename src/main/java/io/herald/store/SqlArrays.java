package io.herald.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Binds one column of many rows as a PostgreSQL array, for {@code INSERT ... SELECT * FROM unnest(...)}: one
 * statement and one round trip for a whole group of rows, with no limit on parameters.
 */
public final class SqlArrays {
    private SqlArrays() {}

    public static <T> void bindText(
            Connection connection, PreparedStatement statement, int index, List<T> rows, Function<T, String> column)
            throws SQLException {
        String[] values = new String[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        Array array = connection.createArrayOf("text", values);
        statement.setArray(index, array);
    }

    public static <T> void bindInteger(
            Connection connection, PreparedStatement statement, int index, List<T> rows, Function<T, Integer> column)
            throws SQLException {
        Integer[] values = new Integer[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        statement.setArray(index, connection.createArrayOf("int4", values));
    }
}
