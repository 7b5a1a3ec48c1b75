package io.herald.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.herald.topic.TopicIn;
import io.herald.topic.TopicService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Retention: whole partitions are dropped once every topic is done with them; short retentions delete only their rows. */
@QuarkusTest
@Tag("external")
class RetentionJobTest {
    @Inject
    RetentionJob retention;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TopicService topics;

    @Test
    void expiredPartitionsAreDroppedAndShortRetentionsTrimmed() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String hourly = "retention.hourly." + suffix;
        String weekly = "retention.weekly." + suffix;
        topics.create(new TopicIn(hourly, null, null, "PT1H", null));
        topics.create(new TopicIn(weekly, null, null, "P7D", null));

        LocalDate oldDay = LocalDate.now(ZoneOffset.UTC).minusDays(400);
        String oldPartition = "events_" + oldDay.format(DateTimeFormatter.BASIC_ISO_DATE);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + oldPartition + " partition of events for values from ('"
                    + oldDay + " 00:00:00+00') to ('" + oldDay.plusDays(1) + " 00:00:00+00')");
        }
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        insert("evt_old_" + suffix, weekly, oldDay.atTime(12, 0).toInstant(ZoneOffset.UTC));
        insert("evt_hourly_" + suffix, hourly, twoHoursAgo);
        insert("evt_weekly_" + suffix, weekly, twoHoursAgo);

        List<String> dropped = retention.maintain();

        assertTrue(dropped.contains(oldPartition), "dropped " + dropped);
        assertFalse(exists("evt_old_" + suffix), "the event in the dropped partition is gone");
        assertFalse(exists("evt_hourly_" + suffix), "PT1H retention: a two-hour-old event is deleted");
        assertTrue(exists("evt_weekly_" + suffix), "P7D retention: a two-hour-old event is kept");
        assertEquals(0, count("select count(*) from pg_class where relname = '" + oldPartition + "'"));
        String tomorrow =
                "events_" + LocalDate.now(ZoneOffset.UTC).plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertEquals(
                1,
                count("select count(*) from pg_class where relname = '" + tomorrow + "'"),
                "partitions are prepared ahead");
    }

    @Inject
    io.herald.ingest.DedupKeyPurge dedupKeys;

    @Test
    void idempotencyKeysAreForgottenAfterTheDedupWindow() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(
                    "insert into event_keys (source, ce_id, event_id, payload_hash, accepted_at) values "
                            + "('/old', 'k-" + suffix + "', 'evt_k" + suffix + "', 'h', now() - interval '25 hours'), "
                            + "('/new', 'k-" + suffix + "', 'evt_n" + suffix + "', 'h', now() - interval '23 hours')");
        }
        dedupKeys.purge();
        assertEquals(0, count("select count(*) from event_keys where source = '/old' and ce_id = 'k-" + suffix + "'"));
        assertEquals(1, count("select count(*) from event_keys where source = '/new' and ce_id = 'k-" + suffix + "'"));
    }

    private void insert(String id, String topic, Instant acceptedAt) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "insert into events (id, topic, ce_id, source, type, data_content_type, data, accepted_at) "
                                + "values (?, ?, ?, '/test', 't', 'application/json', '{}', ?)")) {
            statement.setString(1, id);
            statement.setString(2, topic);
            statement.setString(3, id);
            statement.setTimestamp(4, Timestamp.from(acceptedAt));
            statement.executeUpdate();
        }
    }

    private boolean exists(String id) throws Exception {
        return count("select count(*) from events where id = '" + id + "'") == 1;
    }

    private long count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
