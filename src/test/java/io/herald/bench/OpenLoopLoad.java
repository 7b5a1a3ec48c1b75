package io.herald.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load generator: requests are started on a fixed schedule whatever the server does, and each latency
 * is measured from the request's intended start, so a stalled server shows as the latency its callers would see
 * (coordinated omission corrected, as wrk2 does). Vert.x's HTTP client keeps the generator's own cost small.
 */
final class OpenLoopLoad {
    private final HttpClient client;
    private final String host;
    private final int port;

    OpenLoopLoad(HttpClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /** What a run did: offered and answered-as-expected rates, failures, and the latency histogram (microseconds). */
    record Result(int offeredPerSecond, long sent, long ok, long failed, double seconds, Histogram latencyMicros) {
        double okPerSecond() {
            return ok / seconds;
        }

        double p(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        /** Sustained: every request answered as expected, and the slowest hundredth within 250 ms (no queue building up). */
        boolean sustained() {
            return failed == 0 && ok == sent && p(99) <= 250;
        }
    }

    /**
     * Sends {@code rate} requests a second for {@code duration}; {@code body} gets the request's intended start as
     * epoch milliseconds.
     */
    Result run(
            String path, MultiMap headers, LongFunction<Buffer> body, int rate, Duration duration, int expectedStatus)
            throws InterruptedException {
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = rate * duration.toSeconds();
        long start = System.nanoTime();
        long epochStart = System.currentTimeMillis();
        long sent = 0;
        while (sent < total) {
            long due = Math.min(total, (System.nanoTime() - start) / interval + 1);
            for (; sent < due; sent++) {
                long intended = start + sent * interval;
                outstanding.incrementAndGet();
                Buffer payload = body.apply(epochStart + TimeUnit.NANOSECONDS.toMillis(intended - start));
                client.request(new RequestOptions()
                                .setMethod(HttpMethod.POST)
                                .setHost(host)
                                .setPort(port)
                                .setURI(path)
                                .setHeaders(headers))
                        .compose(request -> request.send(payload))
                        .onComplete(answer -> {
                            recorder.recordValue(
                                    Math.min(TimeUnit.SECONDS.toMicros(60), (System.nanoTime() - intended) / 1000));
                            if (answer.succeeded() && answer.result().statusCode() == expectedStatus) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                            outstanding.decrementAndGet();
                        });
            }
            // Sleep until the next send is due, but at least 0.2 ms, so that high rates send in small bursts: at
            // 1,000/s a fixed 0.2 ms tick woke this thread four times for each send, CPU taken from the machine it
            // shares.
            LockSupport.parkNanos(Math.max(200_000, start + sent * interval - System.nanoTime()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                rate, sent, ok.get(), failed.get() + outstanding.get(), seconds, recorder.getIntervalHistogram());
    }
}
