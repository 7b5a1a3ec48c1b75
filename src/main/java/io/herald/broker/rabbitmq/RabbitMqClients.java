package io.herald.broker.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.nio.NioParams;
import io.herald.broker.BrokerConfig;
import io.herald.platform.Threads;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/** What every use of RabbitMQ's Java client shares: how connections are made, and closing without a fuss. */
final class RabbitMqClients {
    /** Frames a connection's write queue holds: every publishing channel's outstanding messages, three frames each. */
    private static final int NIO_WRITE_QUEUE_FRAMES =
            3 * ConfirmedPublisher.MAX_OUTSTANDING * RabbitMqConnection.PUBLISHERS + 1000;

    private RabbitMqClients() {}

    /** The client settings of every connection Herald opens to RabbitMQ over AMQP 0-9-1. */
    static ConnectionFactory connectionFactory(BrokerConfig config) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.connectHost());
        factory.setPort(config.connectPort());
        factory.setVirtualHost(config.virtualHost());
        config.user().ifPresent(factory::setUsername);
        config.password().ifPresent(factory::setPassword);
        factory.setConnectionTimeout((int) config.operationTimeout().toMillis());
        factory.setRequestedHeartbeat(10);
        // Recovery is Herald's: lanes re-attach by generation, and the outbox re-sends what was not confirmed.
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        // Non-blocking IO: a publish only queues its frames, and an IO thread drains every channel's queue into as few
        // socket writes as it can, where blocking IO wrote (and RabbitMQ read) each publish on its own (ADR 0015). The
        // write queue holds what every publishing channel may have outstanding, so a publish never waits for room.
        factory.useNio();
        factory.setNioParams(new NioParams()
                .setNbIoThreads(2)
                .setWriteQueueCapacity(NIO_WRITE_QUEUE_FRAMES)
                .setWriteEnqueuingTimeoutInMs((int) config.operationTimeout().toMillis())
                .setThreadFactory(Threads.daemons("herald-rabbitmq-io")));
        if (config.tls()) {
            try {
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("TLS is not available in this JVM", e);
            }
        }
        return factory;
    }

    static void closeQuietly(Connection connection) {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close(2000);
            } catch (IOException | RuntimeException ignored) {
                // Closing what is going away anyway.
            }
        }
    }

    static void closeQuietly(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException ignored) {
                // The channel goes with its connection anyway.
            }
        }
    }
}
