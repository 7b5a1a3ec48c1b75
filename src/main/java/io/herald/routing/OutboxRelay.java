package io.herald.routing;

import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Moves committed deliveries into their subscriptions' queues. Each round claims up to a batch of PENDING deliveries
 * with {@code FOR UPDATE SKIP LOCKED} (so instances sharing the database never claim the same row), sends them all
 * at once, waits for the broker to settle each, and marks QUEUED exactly those it settled, in the same transaction.
 * A delivery whose send failed stays PENDING for the next round; if the instance dies mid-round the transaction rolls
 * back and another instance sends the delivery again (at least once: consumers deduplicate on the event id).
 * Deliveries of paused subscriptions wait in the outbox until they are resumed.
 */
@Singleton
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String CLAIM = """
            select d.id as delivery_id, d.event_id, d.replay, s.queue_name, e.topic, e.ce_id, e.source, e.type, e.subject, e.time,
                   e.data_content_type, e.data, e.schema_version, e.extensions, e.accepted_at
            from deliveries d
            join subscriptions s on s.id = d.subscription_id and s.state = 'ACTIVE'
            join events e on e.id = d.event_id and e.accepted_at = d.event_accepted_at
            where d.state = 'PENDING'
            order by d.created_at
            limit ?
            for update of d skip locked""";
    private static final String MARK_QUEUED = "update deliveries set state = 'QUEUED', queued_at = now() where id = any(?::text[])";

    private final AgroalDataSource dataSource;
    private final BrokerClient broker;
    private final RelayConfig config;
    private final Semaphore wake = new Semaphore(0);
    private final Counter queued;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    OutboxRelay(AgroalDataSource dataSource, BrokerClient broker, RelayConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.broker = broker;
        this.config = config;
        this.queued = Counter.builder("herald.relay.deliveries.queued").description("Deliveries settled into their queue").register(metrics);
    }

    void start(@Observes @Priority(BrokerClient.STARTUP_PRIORITY + 10) StartupEvent event) {
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(this::loop, "herald-relay-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    void stop(@Observes @Priority(5) ShutdownEvent event) {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    /** New deliveries were committed: relay them now rather than at the next poll. */
    public void wake() {
        if (wake.availablePermits() < config.workers()) {
            wake.release();
        }
    }

    private void loop() {
        boolean outageLogged = false;
        while (running) {
            try {
                int relayed = 0;
                if (broker.isConnected()) {
                    relayed = relayOnce();
                    outageLogged = false;
                }
                if (relayed < config.batchSize()) {
                    // One permit per wake: with several workers, each commit wakes one idle worker.
                    wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                if (!outageLogged) {
                    LOG.warnf("Relay round failed (%s); deliveries stay in the outbox and are retried", e.getMessage());
                    outageLogged = true;
                }
                sleep();
            }
        }
    }

    /** One round; returns how many deliveries were claimed. */
    int relayOnce() throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<String> ids = new ArrayList<>();
                List<Future<Void>> sends = new ArrayList<>();
                try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                    claim.setInt(1, config.batchSize());
                    try (ResultSet rows = claim.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getString("delivery_id"));
                            var message = CloudEventsAmqp.message(rows);
                            sends.add(broker.sender(rows.getString("queue_name")).compose(sender -> sender.send(message)));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                awaitSettled(sends);
                List<String> settled = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (sends.get(i).succeeded()) {
                        settled.add(ids.get(i));
                    }
                }
                if (!settled.isEmpty()) {
                    try (PreparedStatement mark = connection.prepareStatement(MARK_QUEUED)) {
                        mark.setArray(1, connection.createArrayOf("text", settled.toArray()));
                        mark.executeUpdate();
                    }
                }
                connection.commit();
                queued.increment(settled.size());
                if (settled.size() < ids.size()) {
                    Throwable cause = sends.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(null);
                    LOG.debugf("%d of %d deliveries not settled this round: %s", ids.size() - settled.size(), ids.size(), cause);
                }
                return ids.size();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void awaitSettled(List<Future<Void>> sends) throws InterruptedException {
        try {
            Future.join(new ArrayList<>(sends)).toCompletionStage().toCompletableFuture()
                    .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Some sends failed or did not settle in time: only the settled ones are marked below.
        }
    }

    private void sleep() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
