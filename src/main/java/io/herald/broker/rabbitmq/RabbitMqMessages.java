package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.vertx.amqp.AmqpMessage;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.Message;

/**
 * A queue message in AMQP 0-9-1, as RabbitMQ shows it to consumers of both protocols. The application properties are
 * headers of the same names and types, which AMQP 0-9-1 consumers read; the message-id, content-type and (in seconds)
 * the creation time are the 0-9-1 properties of those names; the data section is the body. RabbitMQ 3.x's AMQP 1.0
 * plugin does not turn headers into application properties: it rebuilds an AMQP 1.0 message from the sections it
 * keeps, encoded, in the headers {@code x-amqp-1.0-properties} and {@code x-amqp-1.0-app-properties} (what it stores
 * for a message published over AMQP 1.0). Herald writes those too, so an AMQP 1.0 consumer reads exactly the message
 * Herald would have sent over AMQP 1.0, creation time in milliseconds included (ADR 0015).
 */
final class RabbitMqMessages {
    static final String AMQP10_PROPERTIES = "x-amqp-1.0-properties";
    static final String AMQP10_APPLICATION_PROPERTIES = "x-amqp-1.0-app-properties";
    private static final int PERSISTENT = 2;

    /** Proton's codec is not thread-safe; building one registers every AMQP type, so each thread keeps its own. */
    private static final ThreadLocal<Codec> CODEC = ThreadLocal.withInitial(Codec::new);

    private RabbitMqMessages() {}

    /** The AMQP 0-9-1 properties of {@code message}; refuses a message that is not durable. */
    static AMQP.BasicProperties properties(AmqpMessage message) {
        if (!message.isDurable()) {
            // A non-durable message in a durable queue is lost on broker restart: refuse it here, loudly.
            throw new IllegalArgumentException("Herald sends durable messages only");
        }
        Message proton = message.unwrap();
        Map<String, Object> headers = new LinkedHashMap<>();
        ApplicationProperties applicationProperties = proton.getApplicationProperties();
        if (applicationProperties != null && applicationProperties.getValue() != null) {
            applicationProperties.getValue().forEach((name, value) -> headers.put(name, value));
        }
        Codec codec = CODEC.get();
        if (proton.getProperties() != null) {
            headers.put(AMQP10_PROPERTIES, codec.encode(proton.getProperties()));
        }
        if (applicationProperties != null) {
            headers.put(AMQP10_APPLICATION_PROPERTIES, codec.encode(applicationProperties));
        }
        long created = message.creationTime();
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .contentType(message.contentType())
                .messageId(message.id())
                .timestamp(created > 0 ? new Date(created) : null)
                .headers(headers)
                .build();
    }

    /** The body: the data section's bytes (Herald's messages have one, as the CloudEvents binary mode says). */
    static byte[] body(AmqpMessage message) {
        Section body = message.unwrap().getBody();
        if (body instanceof Data data) {
            return data.getValue().getArray().length == data.getValue().getLength()
                            && data.getValue().getArrayOffset() == 0
                    ? data.getValue().getArray()
                    : copy(data.getValue());
        }
        if (body == null) {
            return new byte[0];
        }
        throw new IllegalArgumentException("Herald sends messages with one data section only, not " + body.getClass());
    }

    private static byte[] copy(Binary binary) {
        byte[] bytes = new byte[binary.getLength()];
        System.arraycopy(binary.getArray(), binary.getArrayOffset(), bytes, 0, binary.getLength());
        return bytes;
    }

    /**
     * The message a queue consumer took: from the AMQP 1.0 sections where the headers keep them, else from the 0-9-1
     * properties and headers (a message some other 0-9-1 publisher sent).
     */
    static AmqpMessage message(AMQP.BasicProperties properties, byte[] body) {
        Message proton = Proton.message();
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        Codec codec = CODEC.get();
        byte[] encodedProperties = bytes(headers.get(AMQP10_PROPERTIES));
        if (encodedProperties != null) {
            proton.setProperties((Properties) codec.decode(encodedProperties));
        } else {
            Properties fromProperties = new Properties();
            fromProperties.setMessageId(properties.getMessageId());
            if (properties.getContentType() != null) {
                fromProperties.setContentType(Symbol.valueOf(properties.getContentType()));
            }
            fromProperties.setCreationTime(properties.getTimestamp());
            proton.setProperties(fromProperties);
        }
        byte[] encodedApplicationProperties = bytes(headers.get(AMQP10_APPLICATION_PROPERTIES));
        if (encodedApplicationProperties != null) {
            proton.setApplicationProperties((ApplicationProperties) codec.decode(encodedApplicationProperties));
        } else {
            Map<String, Object> values = new LinkedHashMap<>();
            headers.forEach((name, value) -> {
                if (!name.startsWith("x-")) {
                    values.put(name, value instanceof LongString text ? text.toString() : value);
                }
            });
            proton.setApplicationProperties(new ApplicationProperties(values));
        }
        proton.setDurable(properties.getDeliveryMode() == null || properties.getDeliveryMode() == PERSISTENT);
        proton.setBody(new Data(new Binary(body)));
        return AmqpMessage.create(proton).build();
    }

    /**
     * A header holding bytes: a byte array as Herald publishes it (field type {@code x}), or a long string as RabbitMQ's
     * plugin stores it for a message published over AMQP 1.0.
     */
    private static byte[] bytes(Object header) {
        if (header instanceof byte[] bytes) {
            return bytes;
        }
        return header instanceof LongString text ? text.getBytes() : null;
    }

    private static final class Codec {
        private final DecoderImpl decoder = new DecoderImpl();
        private final EncoderImpl encoder = new EncoderImpl(decoder);

        Codec() {
            AMQPDefinedTypes.registerAllTypes(decoder, encoder);
        }

        byte[] encode(Object section) {
            for (int size = 1024; ; size *= 4) {
                WritableBuffer.ByteBufferWrapper buffer = WritableBuffer.ByteBufferWrapper.allocate(size);
                encoder.setByteBuffer(buffer);
                try {
                    encoder.writeObject(section);
                } catch (BufferOverflowException tooSmall) {
                    continue;
                } finally {
                    encoder.setByteBuffer((WritableBuffer) null);
                }
                ByteBuffer written = buffer.byteBuffer();
                written.flip();
                byte[] bytes = new byte[written.remaining()];
                written.get(bytes);
                return bytes;
            }
        }

        Object decode(byte[] bytes) {
            decoder.setBuffer(ReadableBuffer.ByteBufferReader.wrap(ByteBuffer.wrap(bytes)));
            try {
                return decoder.readObject();
            } finally {
                decoder.setBuffer(null);
            }
        }
    }
}
