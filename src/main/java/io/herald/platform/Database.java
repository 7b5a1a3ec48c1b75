package io.herald.platform;

import io.agroal.api.AgroalDataSource;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.ServiceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * Plain JDBC for the configuration tables (topics, schemas, subscriptions, sources, keys, accounts), which are read and
 * written a row at a time: binds parameters, maps rows, and joins the caller's transaction when there is one (the
 * datasource enlists its connection). An ORM for six small tables cost a fifth of the classes the JVM loaded.
 */
@ApplicationScoped
public class Database {
    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work on one connection, such as a call of a table's own statements class. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    Database(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> list(String sql, Row<T> row, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> found = new ArrayList<>();
            while (rows.next()) {
                found.add(row.map(rows));
            }
            return found;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public <T> T with(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Work in one transaction on a connection of its own: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(javax.sql.DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The first row, or null when there is none. */
    public <T> T one(String sql, Row<T> row, Object... parameters) {
        List<T> found = list(sql, row, parameters);
        return found.isEmpty() ? null : found.get(0);
    }

    public long count(String sql, Object... parameters) {
        Long count = one(sql, rows -> rows.getLong(1), parameters);
        return count == null ? 0 : count;
    }

    /** Runs an insert, update or delete; the number of rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * An update guarded by the row's version (optimistic locking): refused with 409 when another request changed the
     * row since it was read.
     */
    public void updateVersioned(String sql, Object... parameters) {
        if (update(sql, parameters) != 1) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "The resource was changed by another request at the same time; read it again and retry");
        }
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    public static <E extends Enum<E>> E enumOf(Class<E> type, ResultSet row, String column) throws SQLException {
        String value = row.getString(column);
        return value == null ? null : Enum.valueOf(type, value);
    }

    /** Whether the failure is a unique-constraint violation (SQLSTATE 23505), however it is wrapped. */
    public static boolean isUniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                if (value == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else if (value instanceof Instant instant) {
                    statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
                } else if (value instanceof Enum<?> constant) {
                    statement.setString(i + 1, constant.name());
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** A lost connection is "try again later" (503); anything else is a server error with the cause kept for the log. */
    private static RuntimeException failure(SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return new ServiceUnavailableException("The database is unreachable", e);
        }
        return new DatabaseFailure(e);
    }

    /** A statement failed; the SQLException is the cause. */
    public static final class DatabaseFailure extends RuntimeException {
        DatabaseFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
