package io.herald.ingest;

import io.agroal.api.AgroalDataSource;
import io.herald.flow.FlowStats;
import io.herald.flow.StageLag;
import io.herald.platform.Batcher;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.routing.HandOff;
import io.herald.routing.OutboxRelay;
import io.herald.routing.Router;
import io.herald.store.EventRows;
import io.herald.store.NewEvent;
import io.herald.store.SqlArrays;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Group commit: concurrent ingest requests are gathered and stored in one transaction (events, idempotency keys and
 * deliveries, each as one multi-row statement), and every request is answered only after that commit. One row per
 * commit caps PostgreSQL near 2,000 rows/s here; a hundred per commit is what lets it take tens of thousands.
 *
 * <p>Idempotency: a (source, id) seen within the dedup window is a duplicate if its payload is the same (the original
 * event is returned, nothing is stored) and a conflict otherwise. A request is stored whole or not at all.
 */
@Singleton
public class GroupCommitter {
    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);
    private static final String EXISTING_KEYS = """
            select k.source, k.ce_id, k.event_id, k.payload_hash
            from event_keys k join unnest(?::text[], ?::text[]) as t(source, ce_id) on k.source = t.source and k.ce_id = t.ce_id
            where k.accepted_at >= ?::timestamptz""";
    private static final String INSERT_KEYS = """
            insert into event_keys (source, ce_id, event_id, payload_hash, accepted_at)
            select source, ce_id, event_id, payload_hash, ?::timestamptz
            from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as t(source, ce_id, event_id, payload_hash)
            on conflict (source, ce_id) do update
                set event_id = excluded.event_id, payload_hash = excluded.payload_hash, accepted_at = excluded.accepted_at
                where event_keys.accepted_at < ?::timestamptz""";

    private final AgroalDataSource dataSource;
    private final Router router;
    private final OutboxRelay relay;
    private final IngestConfig config;
    private volatile Batcher<Request> committers;
    private final DistributionSummary groupSizes;
    private final Counter accepted;
    private final FlowStats flow;
    private final StageLag stageLag;

    GroupCommitter(
            AgroalDataSource dataSource,
            Router router,
            OutboxRelay relay,
            IngestConfig config,
            MeterRegistry metrics,
            FlowStats flow,
            StageLag stageLag) {
        this.dataSource = dataSource;
        this.stageLag = stageLag;
        this.flow = flow;
        this.router = router;
        this.relay = relay;
        this.config = config;
        this.groupSizes = DistributionSummary.builder("herald.ingest.commit.group.size")
                .description("Events stored per database commit")
                .register(metrics);
        this.accepted = Counter.builder("herald.ingest.events.accepted")
                .description("Events accepted (stored)")
                .register(metrics);
    }

    /** What became of one event of a request. */
    public record Outcome(Status status, String eventId, int deliveries) {}

    public enum Status {
        ACCEPTED,
        DUPLICATE,
        CONFLICT
    }

    private record Request(List<NewEvent> events, CompletableFuture<List<Outcome>> result) {}

    void start(@Observes StartupEvent event) {
        committers = new Batcher<>(
                "herald-group-commit",
                config.committerThreads(),
                config.maxQueuedRequests(),
                config.maxGroupEvents(),
                request -> request.events.size(),
                this::commit,
                (group, failure) -> fail(group, new StoreUnavailableException("The event store failed", failure)));
    }

    void stop(@Observes ShutdownEvent event) {
        if (committers != null) {
            committers.close();
        }
    }

    /**
     * Queues a request's events for the next commit. The future completes after the commit, with one outcome per event
     * in order, or fails if the request could not be stored ({@link StoreUnavailableException}).
     */
    public CompletableFuture<List<Outcome>> append(List<NewEvent> events) {
        CompletableFuture<List<Outcome>> result = new CompletableFuture<>();
        Batcher<Request> running = committers;
        if (running == null || !running.offer(new Request(events, result))) {
            result.completeExceptionally(
                    new StoreUnavailableException("Herald is storing as fast as it can; retry shortly"));
        }
        return result;
    }

    private void commit(List<Request> group) {
        for (int attempt = 1; ; attempt++) {
            try {
                Stored stored = store(group);
                stored.outcomes.forEach((request, result) -> request.result.complete(result));
                relay.handOff(stored.handOffs);
                if (stored.unleased > 0) {
                    relay.wake();
                }
                return;
            } catch (KeyRaceException race) {
                // Another instance stored one of these (source, id) pairs between our check and our insert: the
                // transaction was rolled back; run the group again, which now sees the other instance's row.
                if (attempt == 3) {
                    fail(group, new StoreUnavailableException("Concurrent re-posts of the same event id; retry", race));
                    return;
                }
            } catch (SQLException e) {
                if (refusedForItsData(e)) {
                    isolate(group, e);
                    return;
                }
                LOG.warnf("Could not store %d request(s): %s", group.size(), e.getMessage());
                fail(group, new StoreUnavailableException("The event store is unavailable; nothing was stored", e));
                return;
            }
        }
    }

    /**
     * The database refused a row for what it holds (a data exception, a constraint, a program limit such as an index
     * entry's size), which validation should have caught and retrying cannot cure. One request's input must not fail
     * the others of its group: each is committed alone, so only the request that holds the row is refused, as the
     * client's error.
     */
    private void isolate(List<Request> group, SQLException refusal) {
        if (group.size() > 1) {
            for (Request request : group) {
                commit(List.of(request));
            }
            return;
        }
        LOG.warnf("The database refused an event that passed validation: %s", refusal.getMessage());
        fail(
                group,
                new ApiProblem(
                        ProblemType.VALIDATION_FAILED,
                        "The event store refused the event: "
                                + refusal.getMessage().lines().findFirst().orElse("") + "; nothing was stored"));
    }

    /** SQLSTATE classes 22 (data exception), 23 (integrity constraint) and 54 (program limit exceeded). */
    private static boolean refusedForItsData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private static void fail(List<Request> group, RuntimeException error) {
        group.forEach(request -> request.result.completeExceptionally(error));
    }

    /** A committed group: each request's outcomes, the deliveries leased to this instance's relay, and how many were not. */
    private record Stored(Map<Request, List<Outcome>> outcomes, List<HandOff> handOffs, int unleased) {}

    private Stored store(List<Request> group) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant dedupFrom = now.minus(config.dedupWindow());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, String[]> existing = existingKeys(connection, group, dedupFrom);
                Map<Request, List<Outcome>> outcomes = new java.util.IdentityHashMap<>();
                List<NewEvent> fresh = new ArrayList<>();
                List<int[]> freshSlots = new ArrayList<>();
                List<HandOff> handOffs = List.of();
                int unleased = 0;
                Map<String, NewEvent> claimedInGroup = new HashMap<>();
                for (int r = 0; r < group.size(); r++) {
                    Request request = group.get(r);
                    List<Outcome> result = classify(request, existing, claimedInGroup);
                    outcomes.put(request, result);
                    if (result.stream().anyMatch(o -> o.status == Status.CONFLICT)) {
                        continue; // all-or-nothing: a conflicting request stores none of its events
                    }
                    for (int i = 0; i < request.events.size(); i++) {
                        if (result.get(i).status == Status.ACCEPTED) {
                            NewEvent event = request.events.get(i);
                            claimedInGroup.put(key(event), event);
                            fresh.add(event);
                            freshSlots.add(new int[] {r, i});
                        }
                    }
                }
                if (!fresh.isEmpty()) {
                    List<NewEvent> named =
                            fresh.stream().filter(GroupCommitter::producerNamed).toList();
                    if (!named.isEmpty()) {
                        insertKeys(connection, named, now, dedupFrom);
                    }
                    EventRows.insert(connection, fresh, now);
                    Router.Routed routed = router.route(connection, fresh, now, relay.handOffLease());
                    int[] deliveries = routed.counts();
                    for (int i = 0; i < fresh.size(); i++) {
                        int[] slot = freshSlots.get(i);
                        outcomes.get(group.get(slot[0]))
                                .set(
                                        slot[1],
                                        new Outcome(
                                                Status.ACCEPTED, fresh.get(i).id(), deliveries[i]));
                        unleased += deliveries[i];
                    }
                    handOffs = routed.handOffs();
                    unleased -= handOffs.size();
                }
                connection.commit();
                stageLag.reached(StageLag.Stage.STORED, now.toEpochMilli(), fresh.size());
                groupSizes.record(fresh.size());
                accepted.increment(fresh.size());
                fresh.stream()
                        .collect(Collectors.groupingBy(NewEvent::topic, Collectors.counting()))
                        .forEach((topic, count) -> flow.accepted(topic, count.intValue()));
                return new Stored(outcomes, handOffs, unleased);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Outcomes of a request's events against keys already stored and keys claimed earlier in this group. */
    private static List<Outcome> classify(
            Request request, Map<String, String[]> existing, Map<String, NewEvent> claimedInGroup) {
        List<Outcome> result = new ArrayList<>();
        Map<String, NewEvent> inRequest = new HashMap<>();
        for (NewEvent event : request.events) {
            String key = key(event);
            String[] stored = existing.get(key);
            NewEvent earlier = claimedInGroup.getOrDefault(key, inRequest.get(key));
            if (stored != null) {
                result.add(new Outcome(
                        stored[1].equals(event.payloadHash()) ? Status.DUPLICATE : Status.CONFLICT, stored[0], 0));
            } else if (earlier != null) {
                result.add(new Outcome(
                        earlier.payloadHash().equals(event.payloadHash()) ? Status.DUPLICATE : Status.CONFLICT,
                        earlier.id(),
                        0));
            } else {
                inRequest.put(key, event);
                result.add(new Outcome(Status.ACCEPTED, event.id(), 0));
            }
        }
        return result;
    }

    private static Map<String, String[]> existingKeys(Connection connection, List<Request> group, Instant dedupFrom)
            throws SQLException {
        List<NewEvent> all = new ArrayList<>();
        group.forEach(request ->
                request.events.stream().filter(GroupCommitter::producerNamed).forEach(all::add));
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, String[]> existing = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(EXISTING_KEYS)) {
            SqlArrays.bindText(connection, statement, 1, all, NewEvent::source);
            SqlArrays.bindText(connection, statement, 2, all, NewEvent::ceId);
            statement.setString(3, dedupFrom.toString());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    existing.put(
                            rs.getString(1) + '\u0000' + rs.getString(2),
                            new String[] {rs.getString(3), rs.getString(4)});
                }
            }
        }
        return existing;
    }

    private static void insertKeys(Connection connection, List<NewEvent> fresh, Instant now, Instant dedupFrom)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_KEYS)) {
            statement.setString(1, now.toString());
            SqlArrays.bindText(connection, statement, 2, fresh, NewEvent::source);
            SqlArrays.bindText(connection, statement, 3, fresh, NewEvent::ceId);
            SqlArrays.bindText(connection, statement, 4, fresh, NewEvent::id);
            SqlArrays.bindText(connection, statement, 5, fresh, NewEvent::payloadHash);
            statement.setString(6, dedupFrom.toString());
            int written = statement.executeUpdate();
            if (written != fresh.size()) {
                throw new KeyRaceException();
            }
        }
    }

    /**
     * Whether the producer gave the event its id. An id Herald generated is new by construction, and a producer that
     * sends none cannot re-post the same event anyway, so such events skip the dedup check and its writes.
     */
    private static boolean producerNamed(NewEvent event) {
        return !event.ceId().equals(event.id());
    }

    private static String key(NewEvent event) {
        return event.source() + '\u0000' + event.ceId();
    }

    private static final class KeyRaceException extends RuntimeException {
        KeyRaceException() {
            super(null, null, false, false);
        }
    }
}
