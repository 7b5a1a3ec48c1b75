package io.herald.schema;

import io.herald.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The schema_versions table. */
@ApplicationScoped
class SchemaVersions {
    private static final String COLUMNS =
            "id, topic, version, dialect, schema_text, fingerprint, created_at, deleted_at";

    private final Database db;

    SchemaVersions(Database db) {
        this.db = db;
    }

    SchemaVersion find(String topic, int version) {
        return db.one(
                "select " + COLUMNS + " from schema_versions where topic = ? and version = ?",
                SchemaVersions::row,
                topic,
                version);
    }

    /** The versions not deleted, oldest first. */
    List<SchemaVersion> active(String topic) {
        return db.list(
                "select " + COLUMNS + " from schema_versions where topic = ? and deleted_at is null order by version",
                SchemaVersions::row,
                topic);
    }

    Optional<SchemaVersion> latestActive(String topic) {
        return Optional.ofNullable(db.one(
                "select " + COLUMNS
                        + " from schema_versions where topic = ? and deleted_at is null order by version desc limit 1",
                SchemaVersions::row,
                topic));
    }

    /** A page in version order after version {@code after} (0: from the first). */
    List<SchemaVersion> page(String topic, int after, boolean includeDeleted, int size) {
        return db.list(
                "select " + COLUMNS + " from schema_versions where topic = ? and version > ?"
                        + (includeDeleted ? "" : " and deleted_at is null") + " order by version limit ?",
                SchemaVersions::row,
                topic,
                after,
                size);
    }

    /** The highest version number ever given on the topic, deleted or not; 0 when none. */
    int highest(String topic) {
        return db.one(
                "select coalesce(max(version), 0) from schema_versions where topic = ?", row -> row.getInt(1), topic);
    }

    void insert(SchemaVersion version) {
        version.id = db.one(
                "insert into schema_versions (topic, version, dialect, schema_text, fingerprint, created_at) "
                        + "values (?, ?, ?, ?, ?, ?) returning id",
                row -> row.getLong(1),
                version.topic,
                version.version,
                version.dialect,
                version.schemaText,
                version.fingerprint,
                version.createdAt);
    }

    void markDeleted(SchemaVersion version, Instant at) {
        db.update("update schema_versions set deleted_at = ? where id = ?", at, version.id);
        version.deletedAt = at;
    }

    private static SchemaVersion row(ResultSet row) throws SQLException {
        SchemaVersion version = new SchemaVersion();
        version.id = row.getLong("id");
        version.topic = row.getString("topic");
        version.version = row.getInt("version");
        version.dialect = Database.enumOf(SchemaDialect.class, row, "dialect");
        version.schemaText = row.getString("schema_text");
        version.fingerprint = row.getString("fingerprint");
        version.createdAt = Database.instant(row, "created_at");
        version.deletedAt = Database.instant(row, "deleted_at");
        return version;
    }
}
