package io.herald.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Deliveries per second to each destination, one subscription each with the default lane (10 in flight), beside a
 * webhook, after the suite's warm-up: 3,000 events to warm each path up, then 5,000 published in batches of 100, counted where they land (the
 * sink, the stream, the topic, the queue). bench/run.sh starts Kafka and ElasticMQ and names every engine to Herald;
 * NATS and Redis are the machine's. Run with {@code phases=destinations} (outside "all").
 */
final class DestinationsPhase {
    private static final int WARM_UP = 3000;
    private static final int EVENTS = 5000;
    private final Bench bench;

    DestinationsPhase(Bench bench) {
        this.bench = bench;
    }

    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (WebhookSink sink = new WebhookSink(bench.vertx)) {
            String topic = bench.topic("bench.dest-webhook");
            bench.webhookSubscription(topic, sink.url("/dest"), "");
            rows.add(measure("webhook", topic, () -> sink.received()));
        }
        try (Connection nats = Nats.connect(bench.args.getOrDefault("natsUrl", "nats://127.0.0.1:4222"))) {
            String topic = bench.topic("bench.dest-nats");
            String stream = "HERALD_BENCH_" + topic.replaceAll("[^A-Za-z0-9]", "_");
            JetStreamManagement management = nats.jetStreamManagement();
            management.addStream(StreamConfiguration.builder()
                    .name(stream)
                    .subjects(topic + ".>")
                    .build());
            subscribe(topic, "nats", "{\"subject\": \"" + topic + ".{type}\"}");
            rows.add(measure("NATS JetStream", topic, () -> streamCount(management, stream)));
            management.deleteStream(stream);
        }
        String redisTopic = bench.topic("bench.dest-redis");
        subscribe(redisTopic, "redis", "{\"stream\": \"herald-bench:{topic}\"}");
        rows.add(measure("Redis Streams", redisTopic, () -> redisLength("herald-bench:" + redisTopic)));
        redis("DEL", "herald-bench:" + redisTopic); // the machine's Redis keeps nothing of the run
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bench.args.getOrDefault("kafka", "127.0.0.1:19092"));
        try (Admin kafka = Admin.create(admin)) {
            String topic = bench.topic("bench.dest-kafka");
            kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            subscribe(topic, "kafka", "{\"topic\": \"" + topic + "\", \"key\": \"/n\"}");
            rows.add(measure("Kafka (acks=all, idempotent)", topic, () -> kafkaCount(kafka, topic)));
        }
        try (SqsClient sqs = SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(bench.args.getOrDefault("sqs", "http://127.0.0.1:19324")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            String topic = bench.topic("bench.dest-sqs");
            String queueUrl =
                    sqs.createQueue(r -> r.queueName(topic.replace('.', '-'))).queueUrl();
            subscribe(topic, "sqs", "{\"queueUrl\": \"" + queueUrl + "\"}");
            rows.add(measure("SQS (ElasticMQ)", topic, () -> sqsCount(sqs, queueUrl)));
        }
        return rows;
    }

    private void subscribe(String topic, String kind, String settings) throws Exception {
        bench.api(
                "POST",
                "/api/v1/subscriptions",
                "{\"topic\": \"" + topic + "\", \"kind\": \"" + kind + "\", \"" + kind + "\": " + settings + "}");
        Thread.sleep(2500); // lanes attach within a second
    }

    /** Warms the path up, then times {@link #EVENTS} events from the first publish to the last one landing. */
    private String[] measure(String destination, String topic, LongSupplier landed) throws Exception {
        String path = "/api/v1/topics/" + topic + "/events";
        publish(path, WARM_UP);
        awaitCount(landed, WARM_UP, 120_000);
        Bench.CpuUse cpu = bench.cpuFromNow();
        long started = System.nanoTime();
        publish(path, EVENTS);
        long got = awaitCount(landed, WARM_UP + EVENTS, 300_000) - WARM_UP;
        double seconds = (System.nanoTime() - started) / 1e9;
        return Bench.row(
                "Deliveries to " + destination + ", one subscription (10 in flight), 5,000 events",
                String.format(
                        Locale.ROOT,
                        "%,.0f deliveries/s (%,d of %,d in %.1f s; %s per delivery)",
                        got / seconds,
                        got,
                        EVENTS,
                        seconds,
                        cpu.perEvent(got).replace(" per event", "")),
                "",
                "");
    }

    private void publish(String path, int events) throws Exception {
        for (int sent = 0; sent < events; sent += 100) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"n\": ")
                        .append(sent + i)
                        .append(", \"note\": \"a delivery to measure\"}");
            }
            bench.api("POST", path, batch.append(']').toString());
        }
    }

    private static long awaitCount(LongSupplier landed, long expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long count = landed.getAsLong();
        while (count < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            count = landed.getAsLong();
        }
        return count;
    }

    private static long streamCount(JetStreamManagement management, String stream) {
        try {
            return management.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long redisLength(String stream) {
        return Long.parseLong(redis("XLEN", stream));
    }

    /** One command to the machine's Redis through redis-cli; its answer. */
    private String redis(String... command) {
        try {
            List<String> line =
                    new java.util.ArrayList<>(List.of("redis-cli", "-p", bench.args.getOrDefault("redisPort", "6379")));
            line.addAll(List.of(command));
            Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            cli.waitFor();
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long kafkaCount(Admin kafka, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            return kafka.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sqsCount(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(
                        r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
