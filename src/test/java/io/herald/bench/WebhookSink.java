package io.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;

/**
 * The benchmark's webhook receiver, on Vert.x so that it keeps up at thousands of requests a second: answers 204 at
 * once and counts. Of the events whose body carries the run named by {@link #measure} it also counts them apart and
 * records publish -> received latency from their {@code sentAt} (intended send time), so deliveries of an earlier run
 * that arrive late are not taken for this run's.
 */
final class WebhookSink implements AutoCloseable {
    private static final Pattern SENT_AT = Pattern.compile("\"sentAt\":\\s*(\\d+)");
    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMillis(300), 3);
    private volatile String run = "";
    private volatile String refused = null;

    WebhookSink(Vertx vertx) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    long now = System.currentTimeMillis();
                    String text = body.toString();
                    if (refused != null && text.contains(refused)) {
                        request.response().setStatusCode(500).end();
                        return;
                    }
                    Matcher sentAt = SENT_AT.matcher(text);
                    if (!run.isEmpty() && text.contains(run) && sentAt.find()) {
                        latency.recordValue(Math.min(
                                TimeUnit.SECONDS.toMillis(300), Math.max(0, now - Long.parseLong(sentAt.group(1)))));
                        measured.incrementAndGet();
                    }
                    received.incrementAndGet();
                    request.response().setStatusCode(204).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** From now on, answers 500 to (and does not count) requests whose body carries {@code marker}. */
    void refuse(String marker) {
        refused = marker;
    }

    /** From now on, counts and times only events whose body carries {@code runMarker} (a string no other run's has). */
    void measure(String runMarker) {
        run = runMarker;
        measured.set(0);
        latency.reset();
    }

    /** Latencies (milliseconds) of the measured run's events received so far. */
    org.HdrHistogram.Histogram measuredLatency() {
        return latency.getIntervalHistogram();
    }

    /** Waits until {@code count} of the measured run's events have arrived, or the time is up; returns how many did. */
    long awaitMeasured(long count, long timeoutMillis) throws InterruptedException {
        return await(measured, count, timeoutMillis);
    }

    /** Requests arrived so far. */
    long received() {
        return received.get();
    }

    /** Waits until {@code count} requests have arrived in all, or the time is up; returns how many did. */
    long awaitReceived(long count, long timeoutMillis) throws InterruptedException {
        return await(received, count, timeoutMillis);
    }

    private static long await(AtomicLong counter, long count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (counter.get() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return counter.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
