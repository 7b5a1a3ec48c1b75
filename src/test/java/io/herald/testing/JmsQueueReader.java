package io.herald.testing;

import io.herald.broker.BrokerConfig;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Reads a queue with Apache Qpid JMS, an AMQP 1.0 client that shares no code with Herald: what a user's consumer
 * sees. Each message is acknowledged once read.
 */
public final class JmsQueueReader {
    private JmsQueueReader() {}

    /** A received message: body text and application properties. */
    public record Received(String body, String contentType, Map<String, Object> properties) {}

    /** Reads until {@code expected} messages came or {@code quietFor} passes without one. */
    public static List<Received> read(BrokerConfig config, String address, int expected, Duration quietFor) {
        String vhost = config.isEmbedded() || "/".equals(config.virtualHost())
                ? ""
                : "&amqp.vhost=vhost:" + config.virtualHost();
        JmsConnectionFactory factory = new JmsConnectionFactory(
                "amqp://" + config.connectHost() + ":" + config.connectPort() + "?amqp.idleTimeout=0" + vhost);
        config.user().ifPresent(factory::setUsername);
        config.password().ifPresent(factory::setPassword);
        List<Received> received = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(address));
            while (received.size() < expected) {
                Message message = consumer.receive(quietFor.toMillis());
                if (message == null) {
                    break;
                }
                received.add(toReceived(message));
            }
            consumer.close();
        } catch (JMSException e) {
            throw new AssertionError("Reading " + address + " failed: " + e.getMessage(), e);
        }
        return received;
    }

    private static Received toReceived(Message message) throws JMSException {
        String body;
        if (message instanceof BytesMessage bytes) {
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            body = new String(data, StandardCharsets.UTF_8);
        } else {
            body = message.getBody(String.class);
        }
        Map<String, Object> properties = new HashMap<>();
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            properties.put(name, message.getObjectProperty(name));
        }
        String contentType = message.getStringProperty("JMS_AMQP_CONTENT_TYPE");
        return new Received(body, contentType, properties);
    }
}
