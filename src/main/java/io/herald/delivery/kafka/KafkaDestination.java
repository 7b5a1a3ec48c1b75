package io.herald.delivery.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.delivery.AttemptResult;
import io.herald.delivery.CloudEventsAttributes;
import io.herald.delivery.Destination;
import io.herald.delivery.EventKey;
import io.herald.delivery.EventSnapshot;
import io.herald.delivery.Outcome;
import io.herald.platform.Threads;
import io.herald.routing.DestinationConfig;
import io.herald.routing.DestinationTemplate;
import io.herald.routing.Subscription;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Produces to Kafka with the Apache Kafka client: acks=all and an idempotent producer (a retry inside the client never
 * writes a record twice, and records of one partition keep their order), the CloudEvents Kafka binding's binary mode
 * ({@code ce_} headers, {@code content-type}, the data as the value) and the key chosen per subscription, so that one
 * key's events land in one partition in order. Delivered once the partition's in-sync replicas have the record; the
 * answer recorded is topic, partition and offset. One producer per configured connection; its sends run on a thread
 * of their own, since a send waits for metadata (up to 5 s) when the cluster is unreachable.
 */
@Singleton
public class KafkaDestination implements Destination<KafkaEndpoint> {
    private static final Logger LOG = Logger.getLogger(KafkaDestination.class);
    private static final Duration MAX_BLOCK = Duration.ofSeconds(5);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);

    private final DestinationConfig config;
    private final ObjectMapper json;
    private final Map<String, Producer> producers = new ConcurrentHashMap<>();

    KafkaDestination(DestinationConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    private record Producer(KafkaProducer<byte[], byte[]> client, ExecutorService sends) {}

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.KAFKA;
    }

    @Override
    public KafkaEndpoint endpoint(Subscription subscription) {
        JsonNode settings = Destination.settings(subscription, json);
        return new KafkaEndpoint(
                settings.path("connection").asText(),
                settings.path("topic").asText(),
                settings.hasNonNull("key") ? settings.get("key").asText() : null);
    }

    @Override
    public CompletableFuture<Outcome> attempt(KafkaEndpoint endpoint, EventSnapshot event) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String topic = DestinationTemplate.render(endpoint.topic(), event.topic(), event.type());
        if (!DestinationTemplate.isKafkaTopic(topic)) {
            return CompletableFuture.completedFuture(new Outcome.Permanent(
                    AttemptResult.failed(
                            started, 0, AttemptResult.ErrorClass.OTHER, "'" + topic + "' is not a Kafka topic name"),
                    null));
        }
        Producer producer;
        try {
            producer = producer(endpoint.connection());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome.Retry(
                    AttemptResult.failed(started, 0, AttemptResult.ErrorClass.CONNECTION, e.getMessage()), null));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic, null, keyBytes(EventKey.of(endpoint.key(), event, json)), bytes(event.data()), headers(event));
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        producer.sends().execute(() -> {
            try {
                producer.client()
                        .send(
                                record,
                                (metadata, error) -> outcome.complete(
                                        error == null
                                                ? delivered(started, AttemptResult.millisSince(startNanos), metadata)
                                                : failed(
                                                        endpoint.connection(),
                                                        producer,
                                                        started,
                                                        AttemptResult.millisSince(startNanos),
                                                        error)));
            } catch (RuntimeException error) {
                outcome.complete(
                        failed(endpoint.connection(), producer, started, AttemptResult.millisSince(startNanos), error));
            }
        });
        return outcome;
    }

    /** The CloudEvents Kafka binding's binary mode: {@code ce_<attribute>} headers, {@code content-type} the data's. */
    private static RecordHeaders headers(EventSnapshot event) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventsAttributes.of(event).forEach((name, value) -> {
            if (name.equals("datacontenttype")) {
                headers.add("content-type", bytes(value));
            } else {
                headers.add("ce_" + name, bytes(value));
            }
        });
        headers.add("herald-event-id", bytes(event.eventId()));
        return headers;
    }

    private Producer producer(String name) {
        DestinationConfig.KafkaConnection configured = config.kafka().get(name);
        if (configured == null) {
            throw new IllegalStateException("no Kafka connection named '" + name + "' is configured");
        }
        return producers.computeIfAbsent(name, n -> {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configured.url());
            properties.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-" + n);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK.toMillis()));
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
            // A cluster that is down is tried every 10 s at most, not every second (each try logs a warning).
            properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
            properties.putAll(configured.properties());
            // Not to be overridden: what "delivered" means.
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return new Producer(
                    new KafkaProducer<>(properties),
                    Executors.newSingleThreadExecutor(Threads.daemons("herald-kafka-" + n)));
        });
    }

    private static Outcome delivered(Instant started, long took, RecordMetadata metadata) {
        String answer =
                "topic " + metadata.topic() + " partition " + metadata.partition() + " offset " + metadata.offset();
        return new Outcome.Delivered(AttemptResult.answered(started, took, answer));
    }

    /**
     * A record the cluster can never take (too large, an invalid topic) is permanent; what the client may retry itself
     * (a timeout, no leader, an unknown topic) is retried. Anything else (authentication, authorization, a fatal state of
     * the idempotent producer) is retried with a new producer: an operator can mend it without losing the event.
     */
    private Outcome failed(String name, Producer producer, Instant started, long took, Exception error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException) {
            return new Outcome.Permanent(
                    AttemptResult.failed(started, took, AttemptResult.ErrorClass.OTHER, message), null);
        }
        if (!(error instanceof RetriableException)) {
            LOG.warnf("Kafka producer of connection %s failed (%s); a new one takes the next attempts", name, message);
            if (producers.remove(name, producer)) {
                producer.sends().execute(() -> producer.client().close(Duration.ZERO));
                producer.sends().shutdown();
            }
        }
        return new Outcome.Retry(
                AttemptResult.failed(
                        started,
                        took,
                        error instanceof org.apache.kafka.common.errors.TimeoutException
                                ? AttemptResult.ErrorClass.TIMEOUT
                                : AttemptResult.ErrorClass.CONNECTION,
                        message),
                null);
    }

    private static byte[] keyBytes(String key) {
        return key == null ? null : bytes(key);
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        List.copyOf(producers.values()).forEach(producer -> {
            producer.client().close(Duration.ofSeconds(5));
            producer.sends().shutdown();
        });
    }
}
