package io.herald.topic;

import io.herald.platform.Database;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The topics table. */
@ApplicationScoped
public class Topics {
    private static final String COLUMNS =
            "name, description, owner, retention_seconds, compatibility, created_at, updated_at, version";

    private final Database db;

    Topics(Database db) {
        this.db = db;
    }

    /**
     * Herald's own topics ({@code herald.*}, where it publishes operational events): only Herald publishes to them, and
     * nobody changes or deletes them or registers a schema on them.
     */
    public static boolean isSystem(String name) {
        return name != null && (name.startsWith(TopicRules.RESERVED_PREFIX) || name.equals("herald"));
    }

    /** 403 for a write to a system topic. */
    public static void requireWritable(String name) {
        if (isSystem(name)) {
            throw new ApiProblem(
                    ProblemType.FORBIDDEN,
                    "Topic '" + name + "' is one of Herald's system topics: only Herald "
                            + "writes to it, and it cannot be changed, deleted or given a schema");
        }
    }

    public Topic find(String name) {
        return name == null ? null : db.one("select " + COLUMNS + " from topics where name = ?", Topics::row, name);
    }

    /** The topic, locked until the transaction ends: writers that need it stable (schema registration) take turns. */
    public Topic findForUpdate(String name) {
        return name == null
                ? null
                : db.one("select " + COLUMNS + " from topics where name = ? for update", Topics::row, name);
    }

    public boolean exists(String name) {
        return db.count("select count(*) from topics where name = ?", name) > 0;
    }

    /** A page in name order, after {@code after} (null: from the first). */
    List<Topic> page(String after, int size) {
        return after == null
                ? db.list("select " + COLUMNS + " from topics order by name limit ?", Topics::row, size)
                : db.list(
                        "select " + COLUMNS + " from topics where name > ? order by name limit ?",
                        Topics::row,
                        after,
                        size);
    }

    void insert(Topic topic) {
        db.update(
                "insert into topics (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, 0)",
                topic.name,
                topic.description,
                topic.owner,
                topic.retentionSeconds,
                topic.compatibility,
                topic.createdAt,
                topic.updatedAt);
        topic.version = 0;
    }

    void update(Topic topic) {
        db.updateVersioned(
                "update topics set description = ?, owner = ?, retention_seconds = ?, compatibility = ?, updated_at = ?, "
                        + "version = version + 1 where name = ? and version = ?",
                topic.description,
                topic.owner,
                topic.retentionSeconds,
                topic.compatibility,
                topic.updatedAt,
                topic.name,
                topic.version);
        topic.version++;
    }

    void delete(String name) {
        db.update("delete from topics where name = ?", name);
    }

    private static Topic row(ResultSet row) throws SQLException {
        Topic topic = new Topic();
        topic.name = row.getString("name");
        topic.description = row.getString("description");
        topic.owner = row.getString("owner");
        topic.retentionSeconds = row.getLong("retention_seconds");
        topic.compatibility = Database.enumOf(CompatibilityMode.class, row, "compatibility");
        topic.createdAt = Database.instant(row, "created_at");
        topic.updatedAt = Database.instant(row, "updated_at");
        topic.version = row.getLong("version");
        return topic;
    }
}
