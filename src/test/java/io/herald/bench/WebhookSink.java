package io.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's webhook receiver, on Vert.x so that it keeps up at thousands of requests a second: answers 204 at
 * once, counts, and records publish -> received latency from the {@code sentAt} (intended send time) in each body.
 */
final class WebhookSink implements AutoCloseable {
    private static final Pattern SENT_AT = Pattern.compile("\"sentAt\":\\s*(\\d+)");
    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private volatile Recorder latency = new Recorder(TimeUnit.SECONDS.toMillis(300), 3);

    WebhookSink(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            long now = System.currentTimeMillis();
            Matcher sentAt = SENT_AT.matcher(body.toString());
            if (sentAt.find()) {
                latency.recordValue(Math.min(TimeUnit.SECONDS.toMillis(300), Math.max(0, now - Long.parseLong(sentAt.group(1)))));
            }
            received.incrementAndGet();
            request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    long received() {
        return received.get();
    }

    /** The latencies recorded since the last call (milliseconds), and a fresh recording from now on. */
    org.HdrHistogram.Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    /** Waits until {@code count} requests have arrived in all, or the time is up; returns how many did. */
    long awaitReceived(long count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.get() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return received.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
