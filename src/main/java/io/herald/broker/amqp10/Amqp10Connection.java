package io.herald.broker.amqp10;

import io.herald.broker.BrokerConfig;
import io.herald.broker.BrokerConnection;
import io.herald.broker.BrokerFlavour;
import io.herald.broker.BrokerTopology;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.QueueReceiver;
import io.herald.broker.QueueSender;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One AMQP 1.0 connection to the broker (Artemis, or RabbitMQ through its AMQP 1.0 plugin). It reconnects by itself
 * after any loss (broker restart, network), backing off up to {@code herald.broker.max-reconnect-delay}. Senders are
 * cached per queue, one link per address: RabbitMQ has no anonymous relay, so per-message addresses are never used.
 */
public final class Amqp10Connection implements BrokerConnection {
    private static final Logger LOG = Logger.getLogger(Amqp10Connection.class);
    private static final long FIRST_RECONNECT_DELAY_MS = 250;

    private final Vertx vertx;
    private final BrokerConfig config;
    private final BrokerTopology topology;
    private final Map<String, Future<QueueSender>> senders = new ConcurrentHashMap<>();

    private AmqpClient client;
    private volatile AmqpConnection connection;
    /** The event loop the connection's AMQP work runs on: proton is touched from there only. */
    private volatile Context connectionContext;

    private volatile long generation;
    private volatile String lastFailure = "not connected yet";
    private volatile boolean stopped;
    private long reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
    private boolean outageLogged;

    public Amqp10Connection(Vertx vertx, BrokerConfig config, BrokerTopology topology) {
        this.vertx = vertx;
        this.config = config;
        this.topology = topology;
    }

    @Override
    public void start() {
        client = AmqpClient.create(vertx, clientOptions());
        connect();
    }

    @Override
    public void stop() {
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
    }

    @Override
    public boolean isConnected() {
        AmqpConnection current = connection;
        return current != null && !current.isDisconnected();
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public String lastFailure() {
        return lastFailure;
    }

    @Override
    public Future<QueueSender> sender(String declared, String target) {
        AmqpConnection current = connection;
        if (current == null || current.isDisconnected()) {
            return notConnected();
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
                            .map(sender -> new Amqp10Sender(q, sender)),
                    "attach a sender to " + q);
            created.onFailure(e -> senders.remove(q));
            return created;
        });
    }

    @Override
    public void forgetSender(String target) {
        senders.remove(target);
    }

    @Override
    public Future<QueueReceiver> receiver(String queue, int window, Handler<QueueReceiver.Delivered> handler) {
        AmqpConnection current = connection;
        Context context = connectionContext;
        if (current == null || current.isDisconnected()) {
            return notConnected();
        }
        return withTimeout(
                topology.declareQueue(current, queue)
                        .compose(declared -> CreditedReceiver.open(
                                current.unwrap(), context, topology.address(queue), window, handler))
                        .map(receiver -> (QueueReceiver) receiver),
                "attach a receiver to " + queue);
    }

    @Override
    public Future<Void> declare(String queue) {
        return withConnection("declare " + queue, connection -> topology.declareQueue(connection, queue));
    }

    @Override
    public Future<Optional<BrokerTopology.QueueState>> inspect(String queue) {
        return withConnection("inspect " + queue, connection -> topology.inspect(connection, queue));
    }

    @Override
    public Future<Void> delete(String queue) {
        return withConnection("delete " + queue, connection -> topology.deleteQueue(connection, queue));
    }

    private <T> Future<T> withConnection(String what, Function<AmqpConnection, Future<T>> action) {
        AmqpConnection current = connection;
        if (current == null || current.isDisconnected()) {
            return notConnected();
        }
        return withTimeout(action.apply(current), what);
    }

    private <T> Future<T> notConnected() {
        return Future.failedFuture(new BrokerUnavailableException("Broker is not connected: " + lastFailure));
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
                        "Connected to the %s broker at %s:%d (AMQP 1.0)",
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
                .setContainerId("herald-" + UUID.randomUUID())
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
