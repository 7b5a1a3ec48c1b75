package io.herald.delivery;

import io.herald.testing.HeraldApi;
import io.herald.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end delivery against a running Herald: events published at a steady rate (open loop: one request every
 * 1/rate s, whatever the answers do), each carrying its send time; a local webhook sink records when each arrives.
 * Prints p50/p99/p99.9 of publish -> webhook received. Then the maximum rate: a paused subscription collects a backlog
 * that is released at once, and the time to receive it all gives deliveries/s. Not a test: bench/delivery.sh.
 *
 * <p>Arguments: base URL, events/s, seconds, backlog size.
 */
public final class DeliveryBenchmark {
    private static final Pattern SENT_AT = Pattern.compile("\"sentAt\":\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int backlog = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int fanOutSubscriptions = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        int fanOutEvents = args.length > 5 ? Integer.parseInt(args[5]) : 200;
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (WebhookReceiver sink = new WebhookReceiver()) {
            String topic = "bench.delivery." + System.currentTimeMillis();
            post(http, base + "/api/v1/topics", "{\"name\": \"" + topic + "\"}");
            String subscription = id(post(
                    http,
                    base + "/api/v1/subscriptions",
                    "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", " + "\"webhook\": {\"url\": \""
                            + sink.url("/steady") + "\"}}"));
            Thread.sleep(1500);

            steady(http, base + "/api/v1/topics/" + topic + "/events", rate, 5); // warm-up
            int warmup = sink.requests("/steady").size();
            long sent = steady(http, base + "/api/v1/topics/" + topic + "/events", rate, seconds);
            long deadline = System.currentTimeMillis() + 60_000;
            while (sink.requests("/steady").size() < warmup + sent && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            List<Long> latencies = new ArrayList<>();
            List<WebhookReceiver.Request> requests = sink.requests("/steady");
            for (WebhookReceiver.Request request : requests.subList(warmup, requests.size())) {
                Matcher matcher = SENT_AT.matcher(request.bodyText());
                if (matcher.find()) {
                    latencies.add(request.receivedAtMillis() - Long.parseLong(matcher.group(1)));
                }
            }
            latencies.sort(null);
            System.out.printf(
                    "end to end: %d events/s for %d s (open loop): %d of %d delivered; publish -> webhook received "
                            + "p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n",
                    rate,
                    seconds,
                    latencies.size(),
                    sent,
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    percentile(latencies, 99.9),
                    percentile(latencies, 100));

            post(http, base + "/api/v1/subscriptions/" + subscription, "{\"state\": \"paused\"}", "PATCH");
            String batch = batchOf(500);
            for (int i = 0; i < backlog / 500; i++) {
                post(http, base + "/api/v1/topics/" + topic + "/events", batch);
            }
            int before = sink.requests("/steady").size();
            long released = System.nanoTime();
            post(http, base + "/api/v1/subscriptions/" + subscription, "{\"state\": \"active\"}", "PATCH");
            deadline = System.currentTimeMillis() + 300_000;
            while (sink.requests("/steady").size() < before + backlog && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            double took = (System.nanoTime() - released) / 1e9;
            int got = sink.requests("/steady").size() - before;
            System.out.printf(
                    "max delivery rate: backlog of %d released at once, %d delivered in %.1f s: %,.0f deliveries/s "
                            + "(one subscription, %s requests in flight)%n",
                    backlog, got, took, got / took, "10");

            if (fanOutSubscriptions > 0) {
                fanOut(http, base, sink, fanOutSubscriptions, fanOutEvents);
            }
        }
    }

    /** One topic, many webhook subscriptions: how fast all their deliveries arrive. */
    private static void fanOut(HttpClient http, String base, WebhookReceiver sink, int subscriptions, int events)
            throws Exception {
        String topic = "bench.fanout." + System.currentTimeMillis();
        post(http, base + "/api/v1/topics", "{\"name\": \"" + topic + "\"}");
        for (int i = 0; i < subscriptions; i++) {
            post(
                    http,
                    base + "/api/v1/subscriptions",
                    "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", " + "\"webhook\": {\"url\": \""
                            + sink.url("/fanout") + "\"}}");
        }
        Thread.sleep(2500); // lanes attach within a second
        long expected = (long) subscriptions * events;
        long started = System.nanoTime();
        String batch = batchOf(Math.min(events, 500));
        for (int sent = 0; sent < events; sent += 500) {
            post(
                    http,
                    base + "/api/v1/topics/" + topic + "/events",
                    sent + 500 <= events ? batch : batchOf(events - sent));
        }
        long deadline = System.currentTimeMillis() + 300_000;
        while (sink.requests("/fanout").size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        double took = (System.nanoTime() - started) / 1e9;
        int got = sink.requests("/fanout").size();
        System.out.printf(
                "fan-out: %d events to %d webhook subscriptions: %d of %d deliveries in %.1f s: %,.0f deliveries/s%n",
                events, subscriptions, got, expected, took, got / took);
    }

    private static long steady(HttpClient http, String url, int rate, int seconds) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        AtomicLong accepted = new AtomicLong();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String body = "{\"n\": " + i + ", \"sentAt\": " + System.currentTimeMillis() + "}";
            http.sendAsync(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("X-API-Key", HeraldApi.ADMIN_KEY)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> {
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                    });
        }
        Thread.sleep(2000);
        return accepted.get();
    }

    private static String batchOf(int size) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append("{\"backlog\": ").append(i).append('}');
        }
        return body.append(']').toString();
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        return post(http, url, body, "POST");
    }

    private static String post(HttpClient http, String url, String body, String method) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-API-Key", HeraldApi.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String id(String json) {
        Matcher matcher = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return matcher.group(1);
    }
}
