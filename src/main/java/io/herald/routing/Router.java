package io.herald.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.Ids;
import io.herald.platform.TopicPattern;
import io.herald.platform.problem.Violations;
import io.herald.store.DeliveryRows;
import io.herald.store.NewEvent;
import io.herald.store.OrderedRows;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, inside the transaction that stores a group of events, which subscriptions each event is owed to, and
 * writes one PENDING delivery per (event, subscription). Subscriptions are read in that same transaction, so a
 * subscription is owed every event committed after its own creation, on every instance.
 */
@Singleton
public class Router {
    private static final String SUBSCRIPTIONS =
            "select id, topic_pattern, filter, version, queue_name, state = 'ACTIVE', ordered, ordering_key from subscriptions";

    private final ObjectMapper json;
    /** Compiled patterns and filters, by subscription id; replaced when the subscription's version changes. */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    Router(ObjectMapper json) {
        this.json = json;
    }

    private record Compiled(long version, TopicPattern pattern, EventFilter filter) {}

    /** {@code orderedBy}: where an ordered subscription's key comes from ("" for partitionkey); null when unordered. */
    private record Route(
            String subscriptionId,
            String queueName,
            boolean active,
            TopicPattern pattern,
            EventFilter filter,
            String orderedBy) {}

    /**
     * The deliveries written for a group of events: how many each event got, in order, and those leased to this
     * instance's relay to send from memory once the transaction has committed.
     */
    public record Routed(int[] counts, List<HandOff> handOffs) {}

    /** Writes the deliveries the events are owed, none leased: the outbox poller sends them. */
    public int[] route(Connection connection, List<NewEvent> events, Instant acceptedAt) throws SQLException {
        return route(connection, events, acceptedAt, null).counts();
    }

    /**
     * Writes the deliveries the events are owed. With a {@code lease}, those of active subscriptions are leased to this
     * instance for that long and returned as hand-offs; a paused subscription's wait in the outbox unleased. The
     * database's clock times the lease for other instances' relays, this instance's clock for its own.
     */
    public Routed route(Connection connection, List<NewEvent> events, Instant acceptedAt, Duration lease)
            throws SQLException {
        Instant leaseUntil = lease == null ? null : Instant.now().plus(lease);
        List<Route> routes = routes(connection);
        List<DeliveryRows.NewRow> rows = new ArrayList<>();
        List<OrderedRows.NewRow> lines = new ArrayList<>();
        List<HandOff> handOffs = new ArrayList<>();
        int[] counts = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            EventFilter.Event view =
                    new EventFilter.Event(event.type(), event.subject(), event.source(), event.dataNode());
            for (Route route : routes) {
                if (route.pattern.matches(event.topic()) && route.filter.matches(view)) {
                    boolean leased = lease != null && route.active;
                    DeliveryRows.NewRow row =
                            new DeliveryRows.NewRow(Ids.next("dlv"), event.id(), route.subscriptionId, leased);
                    rows.add(row);
                    if (route.orderedBy != null) {
                        String key = OrderingKey.of(route.orderedBy.isEmpty() ? null : route.orderedBy, event);
                        if (key != null) {
                            lines.add(new OrderedRows.NewRow(row.id(), route.subscriptionId, key));
                        }
                    }
                    if (leased) {
                        handOffs.add(new HandOff(row.id(), route.queueName, event, acceptedAt, leaseUntil));
                    }
                    counts[i]++;
                }
            }
        }
        DeliveryRows.insertRouted(connection, rows, acceptedAt, lease);
        OrderedRows.insert(connection, lines);
        return new Routed(counts, handOffs);
    }

    private List<Route> routes(Connection connection) throws SQLException {
        List<Route> routes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SUBSCRIPTIONS);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                long version = rs.getLong(4);
                Compiled matcher = compiled.get(id);
                if (matcher == null || matcher.version != version) {
                    matcher = compile(id, version, rs.getString(2), rs.getString(3));
                    compiled.put(id, matcher);
                }
                String orderedBy = rs.getBoolean(7) ? (rs.getString(8) == null ? "" : rs.getString(8)) : null;
                routes.add(
                        new Route(id, rs.getString(5), rs.getBoolean(6), matcher.pattern, matcher.filter, orderedBy));
            }
        }
        if (compiled.size() > routes.size() * 2 + 100) {
            compiled.keySet()
                    .retainAll(routes.stream().map(Route::subscriptionId).toList());
        }
        return routes;
    }

    private Compiled compile(String id, long version, String pattern, String filter) {
        EventFilter parsed = EventFilter.MATCH_ALL;
        if (filter != null) {
            try {
                parsed = EventFilter.parse(json.readTree(filter), "/filter", new Violations());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Stored filter of " + id + " is not JSON", e);
            }
        }
        return new Compiled(version, TopicPattern.of(pattern), parsed);
    }
}
