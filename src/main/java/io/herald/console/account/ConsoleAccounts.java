package io.herald.console.account;

import io.herald.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The console_accounts table. */
@ApplicationScoped
class ConsoleAccounts {
    private static final String COLUMNS = "username, password_hash, role, created_at, session_epoch";

    private final Database db;

    ConsoleAccounts(Database db) {
        this.db = db;
    }

    ConsoleAccount find(String username) {
        return username == null
                ? null
                : db.one(
                        "select " + COLUMNS + " from console_accounts where username = ?",
                        ConsoleAccounts::row,
                        username);
    }

    List<ConsoleAccount> all() {
        return db.list("select " + COLUMNS + " from console_accounts order by username", ConsoleAccounts::row);
    }

    long countWithRole(String role) {
        return db.count("select count(*) from console_accounts where role = ?", role);
    }

    void insert(ConsoleAccount a) {
        db.update(
                "insert into console_accounts (username, password_hash, role, created_at) values (?, ?, ?, ?)",
                a.username,
                a.passwordHash,
                a.role,
                a.createdAt);
    }

    /** Inserts unless the user name is taken (another instance starting at the same time); whether it inserted. */
    boolean insertIfAbsent(ConsoleAccount a) {
        return db.update(
                        "insert into console_accounts (username, password_hash, role, created_at) values (?, ?, ?, ?)"
                                + " on conflict (username) do nothing",
                        a.username,
                        a.passwordHash,
                        a.role,
                        a.createdAt)
                == 1;
    }

    void updatePassword(ConsoleAccount a) {
        db.update(
                "update console_accounts set password_hash = ?, session_epoch = session_epoch + 1 where username = ?",
                a.passwordHash,
                a.username);
    }

    /** Ends every session of the account: cookies issued before carry the old epoch. */
    void endSessions(String username) {
        db.update("update console_accounts set session_epoch = session_epoch + 1 where username = ?", username);
    }

    void delete(String username) {
        db.update("delete from console_accounts where username = ?", username);
    }

    private static ConsoleAccount row(ResultSet row) throws SQLException {
        ConsoleAccount a = new ConsoleAccount();
        a.username = row.getString("username");
        a.passwordHash = row.getString("password_hash");
        a.role = row.getString("role");
        a.createdAt = Database.instant(row, "created_at");
        a.sessionEpoch = row.getLong("session_epoch");
        return a;
    }
}
