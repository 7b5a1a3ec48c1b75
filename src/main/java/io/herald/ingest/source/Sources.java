package io.herald.ingest.source;

import io.herald.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** The sources table. */
@ApplicationScoped
class Sources {
    private static final String COLUMNS =
            "id, name, kind, topic, secret, previous_secret, previous_secret_expires, hmac_header, "
                    + "hmac_algorithm, hmac_encoding, hmac_prefix, type_header, type_pointer, dedup_header, tolerance_seconds, received, "
                    + "rejected, deduplicated, created_at, updated_at, version";
    /** The counters {@link #increment} may raise; the name is written into the statement, so only these. */
    private static final Set<String> COUNTERS = Set.of("received", "rejected", "deduplicated");

    private final Database db;

    Sources(Database db) {
        this.db = db;
    }

    Source find(String id) {
        return id == null ? null : db.one("select " + COLUMNS + " from sources where id = ?", Sources::row, id);
    }

    List<Source> all() {
        return db.list("select " + COLUMNS + " from sources order by id", Sources::row);
    }

    void insert(Source s) {
        db.update(
                "insert into sources (" + COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0)",
                s.id,
                s.name,
                s.kind,
                s.topic,
                s.secret,
                s.previousSecret,
                s.previousSecretExpires,
                s.hmacHeader,
                s.hmacAlgorithm,
                s.hmacEncoding,
                s.hmacPrefix,
                s.typeHeader,
                s.typePointer,
                s.dedupHeader,
                s.toleranceSeconds,
                s.createdAt,
                s.updatedAt);
        s.version = 0;
    }

    /** Writes a new secret with the previous one and when it stops being accepted. */
    void updateSecrets(Source s) {
        db.updateVersioned(
                "update sources set secret = ?, previous_secret = ?, previous_secret_expires = ?, updated_at = ?, "
                        + "version = version + 1 where id = ? and version = ?",
                s.secret,
                s.previousSecret,
                s.previousSecretExpires,
                s.updatedAt,
                s.id,
                s.version);
        s.version++;
    }

    void increment(String id, String counter) {
        if (!COUNTERS.contains(counter)) {
            throw new IllegalArgumentException("no counter " + counter);
        }
        db.update("update sources set " + counter + " = " + counter + " + 1 where id = ?", id);
    }

    void delete(String id) {
        db.update("delete from sources where id = ?", id);
    }

    private static Source row(ResultSet row) throws SQLException {
        Source s = new Source();
        s.id = row.getString("id");
        s.name = row.getString("name");
        s.kind = Database.enumOf(Source.Kind.class, row, "kind");
        s.topic = row.getString("topic");
        s.secret = row.getString("secret");
        s.previousSecret = row.getString("previous_secret");
        s.previousSecretExpires = Database.instant(row, "previous_secret_expires");
        s.hmacHeader = row.getString("hmac_header");
        s.hmacAlgorithm = Database.enumOf(Source.Algorithm.class, row, "hmac_algorithm");
        s.hmacEncoding = Database.enumOf(Source.Encoding.class, row, "hmac_encoding");
        s.hmacPrefix = row.getString("hmac_prefix");
        s.typeHeader = row.getString("type_header");
        s.typePointer = row.getString("type_pointer");
        s.dedupHeader = row.getString("dedup_header");
        s.toleranceSeconds = row.getInt("tolerance_seconds");
        s.received = row.getLong("received");
        s.rejected = row.getLong("rejected");
        s.deduplicated = row.getLong("deduplicated");
        s.createdAt = Database.instant(row, "created_at");
        s.updatedAt = Database.instant(row, "updated_at");
        s.version = row.getLong("version");
        return s;
    }
}
