package io.herald.delivery.sqs;

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
import io.herald.routing.Subscription;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Sends to Amazon SQS (or an SQS-compatible server) with the AWS SDK: the data as the body, the CloudEvents attributes
 * as message attributes (SQS takes at most 10: the required ones first, then extensions while room is left), and on a
 * FIFO queue the message group from the subscription's key and a de-duplication id naming the event and the
 * subscription, so a retry after a lost answer is dropped within SQS's five-minute window. Credentials come from the
 * connection's settings or the SDK's default provider chain. The SDK's client is blocking: sends run on a small pool per
 * connection, never on the threads that start other subscriptions' attempts.
 */
@Singleton
public class SqsDestination implements Destination<SqsEndpoint> {
    private static final int MAX_ATTRIBUTES = 10;
    private static final int SENDERS = 16;
    /** Answers no retry can change: a body or attribute SQS will never take. */
    private static final Set<String> PERMANENT = Set.of(
            "InvalidMessageContents",
            "InvalidParameterValue",
            "MessageTooLong",
            "InvalidAttributeName",
            "InvalidAttributeValue",
            "UnsupportedOperation");

    private final DestinationConfig config;
    private final ObjectMapper json;
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();

    SqsDestination(DestinationConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    private record Sender(SqsClient client, ExecutorService pool) {}

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.SQS;
    }

    @Override
    public SqsEndpoint endpoint(Subscription subscription) {
        JsonNode settings = Destination.settings(subscription, json);
        return new SqsEndpoint(
                subscription.id,
                settings.path("connection").asText(),
                settings.path("queueUrl").asText(),
                settings.hasNonNull("groupKey") ? settings.get("groupKey").asText() : null);
    }

    @Override
    public CompletableFuture<Outcome> attempt(SqsEndpoint endpoint, EventSnapshot event) {
        Instant started = Instant.now();
        Sender sender;
        try {
            sender = sender(endpoint.connection());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome.Retry(
                    AttemptResult.failed(started, 0, AttemptResult.ErrorClass.OTHER, e.getMessage()), null));
        }
        Map<String, MessageAttributeValue> attributes = attributes(event);
        int dropped = CloudEventsAttributes.of(event).size() + 1 - attributes.size();
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(endpoint.queueUrl())
                .messageBody(event.data() == null ? "" : event.data())
                .messageAttributes(attributes);
        if (endpoint.fifo()) {
            String group = groupOf(endpoint, event);
            request.messageGroupId(group).messageDeduplicationId(event.eventId() + ":" + endpoint.subscriptionId());
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    long startNanos = System.nanoTime();
                    try {
                        SendMessageResponse sent = sender.client().sendMessage(request.build());
                        return delivered(started, AttemptResult.millisSince(startNanos), sent, dropped);
                    } catch (SqsException e) {
                        return failed(started, AttemptResult.millisSince(startNanos), e);
                    } catch (SdkClientException e) {
                        return new Outcome.Retry(
                                AttemptResult.failed(
                                        started,
                                        AttemptResult.millisSince(startNanos),
                                        AttemptResult.ErrorClass.CONNECTION,
                                        e.getMessage()),
                                null);
                    }
                },
                sender.pool());
    }

    /** The CloudEvents attributes as String attributes, {@code content-type} the data's, at most 10 in all. */
    private static Map<String, MessageAttributeValue> attributes(EventSnapshot event) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("herald-event-id", text(event.eventId()));
        CloudEventsAttributes.of(event).forEach((name, value) -> {
            if (attributes.size() < MAX_ATTRIBUTES && !value.isEmpty()) {
                attributes.put(name.equals("datacontenttype") ? "content-type" : "ce-" + name, text(value));
            }
        });
        return attributes;
    }

    private String groupOf(SqsEndpoint endpoint, EventSnapshot event) {
        String value = EventKey.of(endpoint.groupKey(), event, json);
        // SQS takes 1-128 characters for a group; without a key, one group per subscription (its order is the queue's).
        return value == null || value.isEmpty()
                ? endpoint.subscriptionId()
                : value.length() > 128 ? value.substring(0, 128) : value;
    }

    private Sender sender(String name) {
        DestinationConfig.SqsConnection configured = config.sqs().get(name);
        if (configured == null) {
            throw new IllegalStateException("no SQS connection named '" + name + "' is configured");
        }
        return senders.computeIfAbsent(name, n -> {
            AwsCredentialsProvider credentials = configured.accessKeyId().isPresent()
                            && configured.secretAccessKey().isPresent()
                    ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            configured.accessKeyId().get(),
                            configured.secretAccessKey().get()))
                    : DefaultCredentialsProvider.builder().build();
            SqsClientBuilder builder = SqsClient.builder()
                    .region(Region.of(configured.region()))
                    .credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(Duration.ofSeconds(5))
                            .build())
                    .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)));
            configured.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
            return new Sender(
                    builder.build(), Executors.newFixedThreadPool(SENDERS, Threads.daemons("herald-sqs-" + n)));
        });
    }

    private static Outcome delivered(Instant started, long took, SendMessageResponse sent, int dropped) {
        String answer = "message " + sent.messageId()
                + (sent.sequenceNumber() == null ? "" : " sequence " + sent.sequenceNumber())
                + (dropped > 0 ? " (" + dropped + " extension attributes left out: SQS takes 10)" : "");
        return new Outcome.Delivered(AttemptResult.answered(started, took, answer));
    }

    /** A body or attribute SQS refuses is permanent; a missing queue, throttling, access or a 5xx is retried. */
    private static Outcome failed(Instant started, long took, SqsException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String detail = e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        String message = (code == null ? "" : code + ": ") + detail;
        if (code != null && PERMANENT.contains(code)) {
            return new Outcome.Permanent(
                    AttemptResult.failed(started, took, AttemptResult.ErrorClass.OTHER, message), null);
        }
        return new Outcome.Retry(AttemptResult.failed(started, took, AttemptResult.ErrorClass.OTHER, message), null);
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    @PreDestroy
    void close() {
        senders.values().forEach(sender -> {
            sender.pool().shutdownNow();
            sender.client().close();
        });
    }
}
