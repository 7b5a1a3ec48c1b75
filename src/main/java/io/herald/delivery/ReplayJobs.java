package io.herald.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.platform.Ids;
import io.herald.platform.TopicPattern;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ServiceUnavailableException;
import io.herald.platform.problem.Violations;
import io.herald.routing.EventFilter;
import io.herald.routing.OutboxRelay;
import io.herald.routing.Subscription;
import io.herald.routing.Subscriptions;
import io.herald.store.DeliveryRows;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Replays as recorded jobs (table {@code replays}). Every second each instance takes the running jobs whose lease has
 * run out (or that it holds) and moves each one second's worth on: it reads the events after the job's cursor, creates
 * the deliveries of those that match, and advances the cursor, all in one transaction guarded by the lease. An
 * instance that stops (crash or shutdown) leaves its jobs to whoever takes the lease next; they resume at the cursor.
 */
@Singleton
public class ReplayJobs {
    private static final Logger LOG = Logger.getLogger(ReplayJobs.class);
    /** How long a job stays with an instance that stopped renewing it. */
    static final int LEASE_SECONDS = 30;
    /** Events read per step at most, matching or not, so a sparse filter over a long window still moves in bounded steps. */
    private static final int SCAN_LIMIT = 5_000;

    /** Events accepted in [from, to), in the order a replay walks them; a step adds its cursor and a limit. */
    private static final String EVENTS_IN_WINDOW =
            "select id, accepted_at, topic, type, subject, source, data from events where accepted_at >= ? and accepted_at < ?";

    private static final String COLUMNS =
            "id, subscription_id, from_at, to_at, filter, rate_per_second, matched, done, state, "
                    + "cursor_accepted_at, cursor_event_id, error, created_at, finished_at";

    private final AgroalDataSource dataSource;
    private final Subscriptions subscriptions;
    private final OutboxRelay relay;
    private final ObjectMapper json;
    private final String instance = Ids.next("ins");

    ReplayJobs(AgroalDataSource dataSource, Subscriptions subscriptions, OutboxRelay relay, ObjectMapper json) {
        this.dataSource = dataSource;
        this.subscriptions = subscriptions;
        this.relay = relay;
        this.json = json;
    }

    /** A replay's progress as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplayJob(
            String id,
            String subscriptionId,
            String state,
            int matched,
            int done,
            Instant from,
            Instant to,
            int ratePerSecond,
            String error,
            Instant createdAt,
            Instant finishedAt) {}

    private record Cursor(Instant acceptedAt, String eventId) {}

    /** Records a new job; the next tick (on any instance) starts it. */
    String start(String subscriptionId, Instant from, Instant to, String filter, int ratePerSecond, int matched) {
        String id = Ids.next("rpl");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into replays (id, subscription_id, from_at, to_at, filter, rate_per_second, matched, state, created_at, updated_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', now(), now())")) {
            insert.setString(1, id);
            insert.setString(2, subscriptionId);
            insert.setTimestamp(3, Timestamp.from(from));
            insert.setTimestamp(4, Timestamp.from(to));
            insert.setString(5, filter);
            insert.setInt(6, ratePerSecond);
            insert.setInt(7, matched);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new ServiceUnavailableException("The replay could not be recorded", e);
        }
        return id;
    }

    public ReplayJob get(String subscriptionId, String replayId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement(
                        "select " + COLUMNS + " from replays where id = ? and subscription_id = ?")) {
            read.setString(1, replayId);
            read.setString(2, subscriptionId);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    throw ApiProblem.notFound("Replay", replayId);
                }
                return job(rs);
            }
        } catch (SQLException e) {
            throw new ServiceUnavailableException("Replays cannot be read", e);
        }
    }

    public List<ReplayJob> ofSubscription(String subscriptionId) {
        List<ReplayJob> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement("select " + COLUMNS
                        + " from replays where subscription_id = ? order by created_at desc limit 100")) {
            read.setString(1, subscriptionId);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    jobs.add(job(rs));
                }
            }
        } catch (SQLException e) {
            throw new ServiceUnavailableException("Replays cannot be read", e);
        }
        return jobs;
    }

    private static ReplayJob job(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new ReplayJob(
                rs.getString("id"),
                rs.getString("subscription_id"),
                rs.getString("state").toLowerCase(Locale.ROOT),
                rs.getInt("matched"),
                rs.getInt("done"),
                rs.getTimestamp("from_at").toInstant(),
                rs.getTimestamp("to_at").toInstant(),
                rs.getInt("rate_per_second"),
                rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        List<String> claimed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(
                        "update replays set lease_owner = ?, lease_until = now() + make_interval(secs => ?) where id in ("
                                + "select id from replays where state = 'RUNNING' and (lease_owner = ? or lease_until is null or lease_until < now()) "
                                + "order by created_at limit 20 for update skip locked) returning id")) {
            claim.setString(1, instance);
            claim.setInt(2, LEASE_SECONDS);
            claim.setString(3, instance);
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            LOG.debugf("Replays could not be claimed: %s", e.getMessage());
            return;
        }
        for (String id : claimed) {
            try {
                step(id);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Replay %s did not move on this second (it resumes at its cursor): %s", id, e.getMessage());
            }
        }
    }

    /** One second's worth of a job: at most its rate of matching events, read after its cursor. */
    void step(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!advance(connection, id)) {
                    connection.rollback();
                    return;
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        relay.wake();
    }

    private boolean advance(Connection connection, String id) throws SQLException {
        String subscriptionId;
        Instant to;
        String filterText;
        int rate;
        Cursor cursor;
        Instant from;
        try (PreparedStatement read = connection.prepareStatement("select " + COLUMNS
                + " from replays where id = ? and lease_owner = ? " + "and state = 'RUNNING' for update")) {
            read.setString(1, id);
            read.setString(2, instance);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    return false; // another instance took it over, or it is done
                }
                subscriptionId = rs.getString("subscription_id");
                from = rs.getTimestamp("from_at").toInstant();
                to = rs.getTimestamp("to_at").toInstant();
                filterText = rs.getString("filter");
                rate = rs.getInt("rate_per_second");
                Timestamp at = rs.getTimestamp("cursor_accepted_at");
                cursor = at == null ? null : new Cursor(at.toInstant(), rs.getString("cursor_event_id"));
            }
        }
        Subscription subscription = subscriptions.find(subscriptionId);
        EventFilter filter = filter(filterText);
        if (subscription == null || filter == null) {
            finish(
                    connection,
                    id,
                    "FAILED",
                    subscription == null ? "the subscription was deleted" : "the stored filter no longer parses");
            return true;
        }
        TopicPattern topics = TopicPattern.of(subscription.topicPattern);
        List<DeliveryRows.EventRef> matches = new ArrayList<>();
        Cursor last = cursor;
        int scanned = 0;
        try (PreparedStatement page = connection.prepareStatement(EVENTS_IN_WINDOW
                + (cursor == null ? "" : " and (accepted_at, id) > (?, ?)")
                + " order by accepted_at, id limit " + SCAN_LIMIT)) {
            page.setTimestamp(1, Timestamp.from(from));
            page.setTimestamp(2, Timestamp.from(to));
            if (cursor != null) {
                page.setTimestamp(3, Timestamp.from(cursor.acceptedAt()));
                page.setString(4, cursor.eventId());
            }
            try (ResultSet rs = page.executeQuery()) {
                while (matches.size() < rate && rs.next()) {
                    scanned++;
                    Instant acceptedAt = rs.getTimestamp(2).toInstant();
                    last = new Cursor(acceptedAt, rs.getString(1));
                    if (matches(rs, topics, filter)) {
                        matches.add(new DeliveryRows.EventRef(rs.getString(1), acceptedAt));
                    }
                }
            }
        }
        DeliveryRows.insertReplays(connection, subscriptionId, matches);
        boolean exhausted = matches.size() < rate && scanned < SCAN_LIMIT;
        try (PreparedStatement update =
                connection.prepareStatement("update replays set done = done + ?, cursor_accepted_at = ?, "
                        + "cursor_event_id = ?, updated_at = now(), state = ?, finished_at = case when ? then now() end, "
                        + "lease_until = now() + make_interval(secs => ?) where id = ?")) {
            update.setInt(1, matches.size());
            update.setTimestamp(2, last == null ? null : Timestamp.from(last.acceptedAt()));
            update.setString(3, last == null ? null : last.eventId());
            update.setString(4, exhausted ? "DONE" : "RUNNING");
            update.setBoolean(5, exhausted);
            update.setInt(6, LEASE_SECONDS);
            update.setString(7, id);
            update.executeUpdate();
        }
        return true;
    }

    private void finish(Connection connection, String id, String state, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update replays set state = ?, error = ?, finished_at = now(), updated_at = now() where id = ?")) {
            update.setString(1, state);
            update.setString(2, error);
            update.setString(3, id);
            update.executeUpdate();
        }
    }

    private EventFilter filter(String text) {
        try {
            Violations violations = new Violations();
            EventFilter filter = EventFilter.parse(text == null ? null : json.readTree(text), "/filter", violations);
            return violations.isEmpty() ? filter : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * How many events of the window the subscription's topics and the filter match: what a replay will deliver (a dry
     * run's answer). Counted as the steps will scan, without holding the events.
     */
    int count(Subscription subscription, Instant from, Instant to, EventFilter filter) {
        TopicPattern topics = TopicPattern.of(subscription.topicPattern);
        int matched = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement scan = connection.prepareStatement(EVENTS_IN_WINDOW + " order by accepted_at, id")) {
            connection.setAutoCommit(false);
            scan.setTimestamp(1, Timestamp.from(from));
            scan.setTimestamp(2, Timestamp.from(to));
            scan.setFetchSize(1000);
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    matched += matches(rs, topics, filter) ? 1 : 0;
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new ServiceUnavailableException("The event store is unavailable", e);
        }
        return matched;
    }

    /** Whether a row of {@link #EVENTS_IN_WINDOW} belongs to the replay: its topic and the filter match. */
    private boolean matches(ResultSet rs, TopicPattern topics, EventFilter filter) throws SQLException {
        return topics.matches(rs.getString(3))
                && filter.matches(new EventFilter.Event(
                        rs.getString(4), rs.getString(5), rs.getString(6), readData(rs.getString(7))));
    }

    private com.fasterxml.jackson.databind.JsonNode readData(String data) {
        try {
            return json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored data is not JSON", e);
        }
    }

    /** Gives this instance's jobs back at once, so another instance (or this one, restarted) resumes them now. */
    void release(@Observes ShutdownEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement(
                        "update replays set lease_owner = null, lease_until = null where lease_owner = ? and state = 'RUNNING'")) {
            release.setString(1, instance);
            release.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("Replay leases not released (they run out in %d s): %s", LEASE_SECONDS, e.getMessage());
        }
    }
}
