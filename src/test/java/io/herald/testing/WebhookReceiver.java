package io.herald.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver for webhook tests (the JDK's HTTP server), with a script of answers per path, and its own
 * implementation of Standard Webhooks signature verification - written from the spec, sharing nothing with Herald.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> defaults = new ConcurrentHashMap<>();
    private final Map<String, List<Request>> received = new ConcurrentHashMap<>();
    /** Per path: requests open now, and the most open at once. */
    private final Map<String, AtomicInteger[]> concurrency = new ConcurrentHashMap<>();

    /** One scripted answer: status, optional Retry-After, and how long to wait before answering. */
    public record Answer(int status, String retryAfter, long delayMillis) {
        public static Answer status(int status) {
            return new Answer(status, null, 0);
        }
    }

    /** A request as it arrived. */
    public record Request(long receivedAtMillis, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms
        // to every answer, which would be measured as Herald's latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code path} with these, in order, then with the default (200 unless set). */
    public void script(String path, Answer... answers) {
        scripts.put(path, new ConcurrentLinkedDeque<>(List.of(answers)));
    }

    public void always(String path, Answer answer) {
        defaults.put(path, answer);
    }

    /** The most requests to {@code path} that were open at once (received, not yet being answered). */
    public int mostConcurrent(String path) {
        AtomicInteger[] counts = concurrency.get(path);
        return counts == null ? 0 : counts[1].get();
    }

    public List<Request> requests(String path) {
        return new ArrayList<>(received.getOrDefault(path, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()))
                .add(new Request(System.currentTimeMillis(), Map.copyOf(exchange.getRequestHeaders()), body));
        AtomicInteger[] counts =
                concurrency.computeIfAbsent(path, p -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
        counts[1].accumulateAndGet(counts[0].incrementAndGet(), Math::max);
        Deque<Answer> script = scripts.get(path);
        Answer answer =
                script != null && !script.isEmpty() ? script.poll() : defaults.getOrDefault(path, Answer.status(200));
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Counted out before the answer is written: the sender cannot start its next request before this.
        counts[0].decrementAndGet();
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] reply = ("{\"received\": true, \"status\": " + answer.status() + "}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /**
     * Standard Webhooks verification: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the base64 key
     * after "whsec_"; {@code webhook-signature} holds space-separated "v1,{base64}" entries, any of which may match.
     */
    public static boolean verifies(Request request, String secret) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = (request.header("webhook-id") + "." + request.header("webhook-timestamp") + "."
                            + request.bodyText())
                    .getBytes(StandardCharsets.UTF_8);
            byte[] expected = mac.doFinal(signed);
            for (String entry : request.header("webhook-signature").split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts.length == 2
                        && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
