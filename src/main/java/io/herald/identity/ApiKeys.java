package io.herald.identity;

import io.herald.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The api_keys table, as the API and console manage it ({@link ApiKeyService#verify} reads it on its own path). */
@ApplicationScoped
class ApiKeys {
    private static final String COLUMNS =
            "id, lookup_id, key_hash, name, role, topic_patterns, created_at, created_by, expires_at, "
                    + "revoked_at, last_used_at";

    private final Database db;

    ApiKeys(Database db) {
        this.db = db;
    }

    ApiKey find(String id) {
        return id == null ? null : db.one("select " + COLUMNS + " from api_keys where id = ?", ApiKeys::row, id);
    }

    ApiKey findByLookup(String lookupId) {
        return db.one("select " + COLUMNS + " from api_keys where lookup_id = ?", ApiKeys::row, lookupId);
    }

    /** Newest first. */
    List<ApiKey> all() {
        return db.list("select " + COLUMNS + " from api_keys order by created_at desc", ApiKeys::row);
    }

    void insert(ApiKey k) {
        db.update(
                "insert into api_keys (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                k.id,
                k.lookupId,
                k.keyHash,
                k.name,
                k.role,
                k.topicPatterns,
                k.createdAt,
                k.createdBy,
                k.expiresAt,
                k.revokedAt,
                k.lastUsedAt);
    }

    /** Revokes the key; every instance's listener hears of it when the transaction commits. */
    void revoke(ApiKey k, Instant at) {
        db.update("update api_keys set revoked_at = ? where id = ?", at, k.id);
        db.one("select pg_notify('" + RevocationListener.CHANNEL + "', ?)", row -> row.getString(1), k.id);
        k.revokedAt = at;
    }

    void delete(String id) {
        db.update("delete from api_keys where id = ?", id);
    }

    private static ApiKey row(ResultSet row) throws SQLException {
        ApiKey k = new ApiKey();
        k.id = row.getString("id");
        k.lookupId = row.getString("lookup_id");
        k.keyHash = row.getString("key_hash");
        k.name = row.getString("name");
        k.role = row.getString("role");
        k.topicPatterns = row.getString("topic_patterns");
        k.createdAt = Database.instant(row, "created_at");
        k.createdBy = row.getString("created_by");
        k.expiresAt = Database.instant(row, "expires_at");
        k.revokedAt = Database.instant(row, "revoked_at");
        k.lastUsedAt = Database.instant(row, "last_used_at");
        return k;
    }
}
