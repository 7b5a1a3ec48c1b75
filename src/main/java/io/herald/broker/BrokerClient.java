package io.herald.broker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Herald's one AMQP 1.0 connection to the broker. It reconnects by itself after any loss (broker restart, network),
 * backing off up to {@code herald.broker.max-reconnect-delay}; while it is down, {@link #isConnected()} is false and
 * readiness reports the broker DOWN. Senders are cached per queue, one link per address: RabbitMQ has no anonymous
 * relay, so per-message addresses are never used.
 */
@Singleton
public class BrokerClient {
    /** After the embedded broker (priority 10), before anything that sends. */
    public static final int STARTUP_PRIORITY = 20;

    private static final Logger LOG = Logger.getLogger(BrokerClient.class);
    private static final long FIRST_RECONNECT_DELAY_MS = 250;

    private final Vertx vertx;
    private final BrokerConfig config;
    private final BrokerTopology topology;
    private final Map<String, Future<QueueSender>> senders = new ConcurrentHashMap<>();
    /**
     * Queues being (or having been) deleted: no sender or receiver declares them again, which would leave a queue no
     * subscription owns (a late hand-off of the relay, say). Queue names are never reused, so a deleted one stays here;
     * a failed deletion leaves the set.
     */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    private AmqpClient client;
    private volatile AmqpConnection connection;
    /** The event loop the connection's AMQP work runs on: proton is touched from there only. */
    private volatile Context connectionContext;
    /** Counts connections opened: receivers made on an older one are gone and must be made again. */
    private volatile long generation;

    private volatile String lastFailure = "not connected yet";
    private volatile boolean stopped;
    private long reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
    private boolean outageLogged;

    BrokerClient(Vertx vertx, BrokerConfig config, BrokerTopology topology) {
        this.vertx = vertx;
        this.config = config;
        this.topology = topology;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        client = AmqpClient.create(vertx, clientOptions());
        connect();
    }

    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        stopped = true;
        AmqpConnection current = connection;
        connection = null;
        senders.clear();
        if (current != null) {
            current.close()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        topology.close();
    }

    public boolean isConnected() {
        AmqpConnection current = connection;
        return current != null && !current.isDisconnected();
    }

    public long generation() {
        return generation;
    }

    /** Why the broker is not connected, for health and logs. */
    public String lastFailure() {
        return lastFailure;
    }

    public BrokerTopology topology() {
        return topology;
    }

    /** Declares the queue if needed and returns the (cached) sender for it. */
    public Future<QueueSender> sender(String queue) {
        return sender(queue, queue);
    }

    /**
     * A sender to {@code queue}'s dead-letter queue. It is declared with its queue (declaring it as a queue of its
     * own would give it other arguments, which RabbitMQ refuses).
     */
    public Future<QueueSender> deadLetterSender(String queue) {
        return sender(queue, BrokerTopology.deadLetterQueue(queue));
    }

    private Future<QueueSender> sender(String declared, String target) {
        if (deleted.contains(declared)) {
            return Future.failedFuture(deletedQueue(declared));
        }
        AmqpConnection current = connection;
        if (current == null || current.isDisconnected()) {
            return Future.failedFuture(new BrokerUnavailableException("Broker is not connected: " + lastFailure));
        }
        Future<QueueSender> cached = senders.get(target);
        if (cached != null
                && (cached.failed() || (cached.succeeded() && !cached.result().isOpen()))) {
            senders.remove(target, cached);
        }
        return senders.computeIfAbsent(target, q -> {
            Future<QueueSender> created = withTimeout(
                    topology.declareQueue(current, declared)
                            .compose(done -> current.createSender(topology.address(q)))
                            .map(sender -> new QueueSender(q, sender)),
                    "attach a sender to " + q);
            created.onFailure(e -> senders.remove(q));
            return created;
        });
    }

    /** Declares {@code queue} and its dead-letter queue (idempotent). */
    public Future<Void> declare(String queue) {
        return withConnection("declare " + queue, connection -> topology.declareQueue(connection, queue));
    }

    /** Messages ready in {@code queue}; none when it does not exist. */
    public Future<Long> messageCount(String queue) {
        return inspect(queue)
                .map(state -> state.map(BrokerTopology.QueueState::messages).orElse(0L));
    }

    /** What {@code queue} holds and how many consumers read it; empty when it does not exist. */
    public Future<Optional<BrokerTopology.QueueState>> inspect(String queue) {
        return withConnection("inspect " + queue, connection -> topology.inspect(connection, queue));
    }

    /** Deletes {@code queue} and its dead-letter queue with their messages; done when they are already gone. */
    public Future<Void> delete(String queue) {
        deleted.add(queue);
        senders.remove(queue);
        senders.remove(BrokerTopology.deadLetterQueue(queue));
        return withConnection("delete " + queue, connection -> topology.deleteQueue(connection, queue))
                .onFailure(e -> deleted.remove(queue));
    }

    private static BrokerUnavailableException deletedQueue(String queue) {
        return new BrokerUnavailableException("Queue " + queue + " is deleted");
    }

    private <T> Future<T> withConnection(String what, java.util.function.Function<AmqpConnection, Future<T>> action) {
        AmqpConnection current = connection;
        if (current == null || current.isDisconnected()) {
            return Future.failedFuture(new BrokerUnavailableException("Broker is not connected: " + lastFailure));
        }
        return withTimeout(action.apply(current), what);
    }

    /**
     * Declares the queue if needed and attaches a receiver to it that is granted {@code window} messages at a time
     * (see {@link CreditedReceiver}); {@code handler} runs on the connection's event loop.
     */
    public Future<CreditedReceiver> receiver(String queue, int window, Handler<CreditedReceiver.Delivered> handler) {
        if (deleted.contains(queue)) {
            return Future.failedFuture(deletedQueue(queue));
        }
        AmqpConnection current = connection;
        Context context = connectionContext;
        if (current == null || current.isDisconnected()) {
            return Future.failedFuture(new BrokerUnavailableException("Broker is not connected: " + lastFailure));
        }
        return withTimeout(
                topology.declareQueue(current, queue)
                        .compose(declared -> CreditedReceiver.open(
                                current.unwrap(), context, topology.address(queue), window, handler)),
                "attach a receiver to " + queue);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        client.connect().onComplete(result -> {
            if (result.succeeded()) {
                AmqpConnection opened = result.result();
                if (stopped) {
                    opened.close();
                    return;
                }
                opened.exceptionHandler(e -> onConnectionLost(opened, e));
                connectionContext = Vertx.currentContext(); // the connection's own: its result is delivered there
                generation++;
                connection = opened;
                lastFailure = null;
                reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
                outageLogged = false;
                LOG.infof(
                        "Connected to the %s broker at %s:%d",
                        describeBroker(), config.connectHost(), config.connectPort());
            } else {
                lastFailure = String.valueOf(result.cause().getMessage());
                if (!outageLogged) {
                    LOG.warnf(
                            "Cannot connect to the %s broker at %s:%d (%s); retrying until it is back",
                            describeBroker(), config.connectHost(), config.connectPort(), lastFailure);
                    outageLogged = true;
                }
                scheduleReconnect();
            }
        });
    }

    private void onConnectionLost(AmqpConnection lost, Throwable cause) {
        if (connection != lost) {
            return;
        }
        connection = null;
        senders.clear();
        lastFailure = "connection lost: " + cause.getMessage();
        if (!stopped) {
            LOG.warnf("Lost the connection to the broker (%s); reconnecting", cause.getMessage());
            outageLogged = true;
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
        vertx.setTimer(delay, id -> connect());
    }

    private <T> Future<T> withTimeout(Future<T> future, String what) {
        return future.timeout(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .recover(e -> Future.failedFuture(
                        new BrokerUnavailableException("Could not " + what + ": " + e.getMessage(), e)));
    }

    private String describeBroker() {
        return config.isEmbedded()
                ? "embedded Artemis"
                : config.flavour().name().toLowerCase();
    }

    private AmqpClientOptions clientOptions() {
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.connectHost())
                .setPort(config.connectPort())
                .setContainerId("herald-" + java.util.UUID.randomUUID())
                .setConnectTimeout((int) config.operationTimeout().toMillis())
                .setHeartbeat(10_000);
        config.user().ifPresent(options::setUsername);
        config.password().ifPresent(options::setPassword);
        if (config.tls()) {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
        }
        if (config.flavour() == BrokerFlavour.RABBITMQ && !"/".equals(config.virtualHost())) {
            options.setConnectionHostname("vhost:" + config.virtualHost());
        }
        return options;
    }
}
