package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.broker.BrokerConfig;
import io.herald.broker.BrokerConnection;
import io.herald.broker.BrokerTopology;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.QueueReceiver;
import io.herald.broker.QueueSender;
import io.herald.platform.Threads;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * RabbitMQ in its own protocol, AMQP 0-9-1, with the official Java client: one connection publishes (channels in
 * confirm mode), another consumes (a channel per queue, prefetch-bounded, manual acknowledgement), so that a broker
 * alarm that blocks publishers never holds acknowledgements back. Queues are declared by {@link RabbitMqTopology}. After
 * any loss both connections are opened again, backing off up to {@code herald.broker.max-reconnect-delay}; the client's
 * own recovery is off, as lanes re-attach by the connection generation.
 */
public final class RabbitMqConnection implements BrokerConnection {
    private static final Logger LOG = Logger.getLogger(RabbitMqConnection.class);
    private static final long FIRST_RECONNECT_DELAY_MS = 250;
    /** Publishing channels: a queue always uses the same one (its order), several share the broker's work. */
    static final int PUBLISHERS = 4;

    private final BrokerConfig config;
    private final BrokerTopology topology;
    private final ConnectionFactory factory;
    private final ScheduledExecutorService connector;
    private final ExecutorService blocking;
    private final Map<String, QueueSender> senders = new ConcurrentHashMap<>();

    private volatile Connected connected;
    private volatile long generation;
    private volatile String lastFailure = "not connected yet";
    private volatile String blockedBecause;
    private volatile boolean stopped;
    private long reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
    private boolean outageLogged;

    /** One pair of connections and the publishers on the first. */
    private record Connected(Connection publishing, Connection consuming, List<ConfirmedPublisher> publishers) {
        boolean isOpen() {
            return publishing.isOpen() && consuming.isOpen();
        }
    }

    public RabbitMqConnection(BrokerConfig config, BrokerTopology topology) {
        this.config = config;
        this.topology = topology;
        this.factory = RabbitMqClients.connectionFactory(config);
        this.connector = Executors.newSingleThreadScheduledExecutor(Threads.daemons("herald-rabbitmq-connect"));
        this.blocking = Executors.newCachedThreadPool(Threads.daemons("herald-rabbitmq"));
    }

    @Override
    public void start() {
        connector.execute(this::connect);
    }

    @Override
    public void stop() {
        stopped = true;
        Connected current = connected;
        connected = null;
        senders.clear();
        if (current != null) {
            current.publishers.forEach(ConfirmedPublisher::close);
            RabbitMqClients.closeQuietly(current.publishing);
            RabbitMqClients.closeQuietly(current.consuming);
        }
        connector.shutdownNow();
        blocking.shutdownNow();
    }

    @Override
    public boolean isConnected() {
        Connected current = connected;
        return current != null && current.isOpen();
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public String lastFailure() {
        String blocked = blockedBecause;
        return blocked != null && isConnected() ? "the broker blocks publishers: " + blocked : lastFailure;
    }

    @Override
    public Future<QueueSender> sender(String declared, String target) {
        Connected current = connected;
        if (current == null || !current.isOpen()) {
            return notConnected();
        }
        QueueSender cached = senders.get(target);
        if (cached != null && cached.isOpen()) {
            return Future.succeededFuture(cached);
        }
        return withTimeout(topology.declareQueue(null, declared), "declare " + declared)
                .map(done -> senders.compute(target, (queue, existing) -> {
                    if (existing != null && existing.isOpen()) {
                        return existing;
                    }
                    return new Sender(queue, current.publishers.get(Math.floorMod(queue.hashCode(), PUBLISHERS)));
                }));
    }

    @Override
    public void forgetSender(String target) {
        senders.remove(target);
    }

    @Override
    public Future<QueueReceiver> receiver(String queue, int window, Handler<QueueReceiver.Delivered> handler) {
        Connected current = connected;
        if (current == null || !current.isOpen()) {
            return notConnected();
        }
        return withTimeout(topology.declareQueue(null, queue), "declare " + queue)
                .compose(declared -> blockingCall(
                        "attach a receiver to " + queue,
                        () -> PrefetchReceiver.open(current.consuming, queue, window, handler, blocking)));
    }

    @Override
    public Future<Void> declare(String queue) {
        return isConnected() ? withTimeout(topology.declareQueue(null, queue), "declare " + queue) : notConnected();
    }

    @Override
    public Future<Optional<BrokerTopology.QueueState>> inspect(String queue) {
        return isConnected() ? withTimeout(topology.inspect(null, queue), "inspect " + queue) : notConnected();
    }

    @Override
    public Future<Void> delete(String queue) {
        return isConnected() ? withTimeout(topology.deleteQueue(null, queue), "delete " + queue) : notConnected();
    }

    /** A send completes when the broker confirms it, or fails after {@code herald.broker.operation-timeout}. */
    private final class Sender implements QueueSender {
        private final String queue;
        private final ConfirmedPublisher publisher;

        Sender(String queue, ConfirmedPublisher publisher) {
            this.queue = queue;
            this.publisher = publisher;
        }

        @Override
        public String queue() {
            return queue;
        }

        @Override
        public Future<Void> send(AmqpMessage message) {
            if (blockedBecause != null || publisher.full()) {
                // RabbitMQ takes nothing while its alarm lasts, or stopped confirming: the outbox keeps the message,
                // not Herald's heap. Failing after the usual wait paces the relay as an unanswered send would.
                return withTimeout(Promise.<Void>promise().future(), "publish to " + queue);
            }
            AMQP.BasicProperties properties;
            byte[] body;
            try {
                properties = RabbitMqMessages.properties(message);
                body = RabbitMqMessages.body(message);
            } catch (IllegalArgumentException refused) {
                return Future.failedFuture(refused);
            }
            return publisher.publish(queue, properties, body); // it fails what is not confirmed in time
        }

        @Override
        public boolean isOpen() {
            return publisher.isOpen();
        }
    }

    private <T> Future<T> blockingCall(String what, BlockingCall<T> call) {
        Promise<T> done = Promise.promise();
        try {
            blocking.execute(() -> {
                try {
                    done.tryComplete(call.run());
                } catch (Exception e) {
                    done.tryFail(new BrokerUnavailableException("Could not " + what + ": " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException stopping) {
            done.tryFail(new BrokerUnavailableException("Herald is stopping"));
        }
        return withTimeout(done.future(), what);
    }

    @FunctionalInterface
    private interface BlockingCall<T> {
        T run() throws Exception;
    }

    private <T> Future<T> withTimeout(Future<T> future, String what) {
        if (future.isComplete()) {
            return future;
        }
        Promise<T> timed = Promise.promise();
        future.onComplete(result -> {
            if (result.succeeded()) {
                timed.tryComplete(result.result());
            } else {
                timed.tryFail(result.cause());
            }
        });
        long millis = config.operationTimeout().toMillis();
        try {
            connector.schedule(
                    () -> timed.tryFail(new BrokerUnavailableException(
                            "Could not " + what + " within " + millis + " ms" + blockedNote())),
                    millis,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            timed.tryFail(new BrokerUnavailableException("Herald is stopping"));
        }
        return timed.future();
    }

    private String blockedNote() {
        String blocked = blockedBecause;
        return blocked == null ? "" : " (the broker blocks publishers: " + blocked + ")";
    }

    private <T> Future<T> notConnected() {
        return Future.failedFuture(new BrokerUnavailableException("Broker is not connected: " + lastFailure));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        Connection publishing = null;
        Connection consuming = null;
        try {
            String id = UUID.randomUUID().toString().substring(0, 8);
            publishing = factory.newConnection("herald-publish-" + id);
            consuming = factory.newConnection("herald-consume-" + id);
            publishing.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    blockedBecause = reason;
                    LOG.warnf(
                            "RabbitMQ blocks Herald's publishing (%s); events wait in the outbox until it resumes",
                            reason);
                }

                @Override
                public void handleUnblocked() {
                    blockedBecause = null;
                    LOG.info("RabbitMQ takes Herald's publishing again");
                }
            });
            List<ConfirmedPublisher> publishers = new ArrayList<>();
            for (int i = 0; i < PUBLISHERS; i++) {
                publishers.add(new ConfirmedPublisher(
                        publishing,
                        "herald-rabbitmq-publish-" + i,
                        config.operationTimeout(),
                        connector,
                        this::onChannelLost));
            }
            Connected opened = new Connected(publishing, consuming, publishers);
            publishing.addShutdownListener(cause -> onConnectionLost(opened, cause));
            consuming.addShutdownListener(cause -> onConnectionLost(opened, cause));
            senders.clear();
            generation++;
            connected = opened;
            lastFailure = null;
            blockedBecause = null;
            reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
            outageLogged = false;
            LOG.infof(
                    "Connected to the rabbitmq broker at %s:%d (AMQP 0-9-1)",
                    config.connectHost(), config.connectPort());
            if (!opened.isOpen()) {
                onConnectionLost(opened, new ShutdownSignalException(true, false, null, null));
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            RabbitMqClients.closeQuietly(publishing);
            RabbitMqClients.closeQuietly(consuming);
            lastFailure = String.valueOf(e.getMessage());
            if (!outageLogged) {
                LOG.warnf(
                        "Cannot connect to the rabbitmq broker at %s:%d (%s); retrying until it is back",
                        config.connectHost(), config.connectPort(), lastFailure);
                outageLogged = true;
            }
            scheduleReconnect();
        }
    }

    /** A publishing channel the broker closed for an error: start over, as after a lost connection. */
    private void onChannelLost(ShutdownSignalException cause) {
        Connected current = connected;
        if (current != null && !stopped) {
            LOG.warnf("RabbitMQ closed a publishing channel (%s); reconnecting", cause.getMessage());
            RabbitMqClients.closeQuietly(current.publishing);
        }
    }

    private void onConnectionLost(Connected lost, ShutdownSignalException cause) {
        synchronized (this) {
            if (connected != lost) {
                return;
            }
            connected = null;
        }
        senders.clear();
        lost.publishers.forEach(ConfirmedPublisher::close);
        lastFailure = "connection lost: " + cause.getMessage();
        if (!stopped) {
            LOG.warnf("Lost the connection to the broker (%s); reconnecting", cause.getMessage());
            outageLogged = true;
            blocking.execute(() -> {
                RabbitMqClients.closeQuietly(lost.publishing);
                RabbitMqClients.closeQuietly(lost.consuming);
            });
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = reconnectDelayMs;
        reconnectDelayMs =
                Math.min(reconnectDelayMs * 2, config.maxReconnectDelay().toMillis());
        try {
            connector.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopped meanwhile
        }
    }
}
