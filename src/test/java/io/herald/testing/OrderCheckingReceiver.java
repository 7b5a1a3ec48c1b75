package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver that checks ordered delivery: events carry {@code {"key": ..., "n": ...}}; it answers 500 to a
 * seeded share of requests (and to every request of a key in {@link #refusing}), and per key records what it accepted,
 * in order, and whether requests for two different events of one key were ever open at once.
 */
public final class OrderCheckingReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, List<Integer>> accepted = new ConcurrentHashMap<>();
    public final Set<String> overlapping = ConcurrentHashMap.newKeySet();
    public final Set<String> refusing = ConcurrentHashMap.newKeySet();
    public final AtomicInteger requests = new AtomicInteger();

    private final HttpServer server;
    private final Map<String, Map<Integer, AtomicInteger>> open = new ConcurrentHashMap<>();
    private final Random random = new Random(31);
    private final double failureShare;
    private final long answerMillis;

    public OrderCheckingReceiver(double failureShare, long answerMillis) throws IOException {
        this.failureShare = failureShare;
        this.answerMillis = answerMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ordered";
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String key = body.path("key").asText();
        int n = body.path("n").asInt();
        requests.incrementAndGet();
        Map<Integer, AtomicInteger> openOfKey = open.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        synchronized (openOfKey) {
            openOfKey.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
            if (openOfKey.values().stream().filter(count -> count.get() > 0).count() > 1) {
                overlapping.add(key);
            }
        }
        try {
            Thread.sleep(answerMillis);
            boolean fail;
            synchronized (random) {
                fail = refusing.contains(key) || random.nextDouble() < failureShare;
            }
            if (!fail) {
                accepted.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(n);
            }
            synchronized (openOfKey) {
                openOfKey.get(n).decrementAndGet();
            }
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    public int acceptedCount() {
        return accepted.values().stream().mapToInt(List::size).sum();
    }

    /** What a key's receiver accepted with repeats of one event in a row (at-least-once) counted once. */
    public List<Integer> acceptedOnceInARow(String key) {
        List<Integer> distinct = new ArrayList<>();
        List<Integer> all = accepted.getOrDefault(key, List.of());
        List<Integer> copy;
        synchronized (all) { // a synchronized list is iterated under its own lock
            copy = new ArrayList<>(all);
        }
        for (int n : copy) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1) != n) {
                distinct.add(n);
            }
        }
        return distinct;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
