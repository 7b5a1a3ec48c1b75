package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker ceiling: raw acked durable sends of the same 1 KB to the same broker Herald uses, and RabbitMQ's
 * management HTTP publish API where given ({@code rabbitManagement=http://user:password@host:15672}).
 */
final class BrokerCeilingPhase {
    private final Bench bench;

    BrokerCeilingPhase(Bench bench) {
        this.bench = bench;
    }

    /** Messages per second: raw AMQP sends, and the management API's (-1: not measured). */
    record Figures(double amqpRate, double managementRate) {
        List<String[]> rows() {
            List<String[]> rows = new ArrayList<>();
            rows.add(Bench.row(
                    "Broker ceiling: raw acked durable 1 KB AMQP sends to the same broker (1,000 in flight, 10 s)",
                    String.format(Locale.ROOT, "%,.0f msg/s", amqpRate),
                    "",
                    ""));
            if (managementRate >= 0) {
                rows.add(Bench.row(
                        "RabbitMQ management HTTP publish API (8 concurrent, 10 s)",
                        String.format(Locale.ROOT, "%,.0f msg/s", managementRate),
                        "",
                        ""));
            }
            return rows;
        }
    }

    Figures run(String topic, String event) throws Exception {
        String brokerQueue = bench.queueSubscription(topic);
        double amqpRate = amqpSends(
                Bench.match(Bench.ADDRESS, bench.api("GET", "/api/v1/subscriptions/" + brokerQueue, null)),
                Buffer.buffer(event),
                1000,
                10);
        bench.deleteSubscription(brokerQueue);
        Thread.sleep(10_000); // the broker deletes those messages from its journal before the next phase
        double managementRate = bench.args.containsKey("rabbitManagement")
                ? managementPublish(bench.args.get("rabbitManagement"), event, 8, 10)
                : -1;
        return new Figures(amqpRate, managementRate);
    }

    private double amqpSends(String address, Buffer body, int inFlight, int seconds) throws Exception {
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(bench.args.getOrDefault("amqpHost", "127.0.0.1"))
                .setPort(bench.intArg("amqpPort", 15673));
        if (bench.args.containsKey("amqpUser")) {
            options.setUsername(bench.args.get("amqpUser")).setPassword(bench.args.get("amqpPassword"));
        }
        if (bench.args.containsKey("amqpVhost") && !"/".equals(bench.args.get("amqpVhost"))) {
            options.setConnectionHostname("vhost:" + bench.args.get("amqpVhost"));
        }
        AmqpClient client = AmqpClient.create(bench.vertx, options);
        AmqpConnection connection =
                client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        AmqpSender sender = connection
                .createSender(address)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        AtomicLong acked = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        long start = System.nanoTime();
        bench.vertx.runOnContext(v -> {
            for (int i = 0; i < inFlight; i++) {
                sendNext(sender, body, acked, running);
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        running.set(false);
        double rate = acked.get() / ((System.nanoTime() - start) / 1e9);
        Bench.log(String.format(Locale.ROOT, "broker: %,d acked durable sends in %d s", acked.get(), seconds));
        connection.close();
        client.close();
        return rate;
    }

    private static void sendNext(AmqpSender sender, Buffer body, AtomicLong acked, AtomicBoolean running) {
        if (!running.get()) {
            return;
        }
        sender.sendWithAck(AmqpMessage.create()
                        .durable(true)
                        .withBufferAsBody(body)
                        .build())
                .onComplete(ack -> {
                    if (ack.succeeded()) {
                        acked.incrementAndGet();
                    }
                    sendNext(sender, body, acked, running);
                });
    }

    /** RabbitMQ's management HTTP API publishing to a fresh durable queue, closed loop with a few callers. */
    private double managementPublish(String management, String payload, int concurrency, int seconds) throws Exception {
        URI uri = URI.create(management);
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8));
        String root = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + "/api";
        String vhost = URLEncoder.encode(bench.args.getOrDefault("amqpVhost", "/"), StandardCharsets.UTF_8);
        send(HttpRequest.newBuilder(URI.create(root + "/queues/" + vhost + "/herald-bench-management"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"durable\": true}"))
                .build());
        String body =
                "{\"properties\": {\"delivery_mode\": 2}, \"routing_key\": \"herald-bench-management\", \"payload\": "
                        + new ObjectMapper().writeValueAsString(payload)
                        + ", \"payload_encoding\": \"string\"}";
        HttpRequest publish = HttpRequest.newBuilder(URI.create(root + "/exchanges/" + vhost + "/amq.default/publish"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        if (Bench.http()
                                        .send(publish, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200) {
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        send(HttpRequest.newBuilder(URI.create(root + "/queues/" + vhost + "/herald-bench-management"))
                .header("Authorization", auth)
                .DELETE()
                .build());
        Bench.log(String.format(Locale.ROOT, "RabbitMQ management publish: %,d in %d s", done.get(), seconds));
        return done.get() / (double) seconds;
    }

    private static void send(HttpRequest request) throws Exception {
        Bench.http().send(request, HttpResponse.BodyHandlers.discarding());
    }
}
