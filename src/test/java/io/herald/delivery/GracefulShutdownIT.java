package io.herald.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldApi;
import io.herald.testing.HeraldProcess;
import io.herald.testing.SharedParts;
import io.herald.testing.WebhookReceiver;
import io.herald.testing.WebhookReceiver.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load, as Kubernetes or Compose stops an instance: readiness turns DOWN while requests are still
 * answered, the instance finishes what it accepted and the webhook requests it has in flight, and exits within its
 * grace; a second instance on the same database and broker delivers the rest. Every accepted event reaches the
 * receiver, and none twice (a drained lane leaves nothing to redeliver).
 */
class GracefulShutdownIT {
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int PUBLISHERS = 4;
    private static final Pattern N = Pattern.compile("\"n\"\\s*:\\s*(\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path temp;

    @Test
    void aTerminatedInstanceFinishesWhatItAcceptedAndExitsWithinItsGrace() throws Exception {
        try (SharedParts parts = SharedParts.start(temp);
                WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, String> settings = parts.settings("instance");
            settings.put("HERALD_SHUTDOWN_DELAY", DELAY.toString());
            settings.put("HERALD_SHUTDOWN_GRACE", GRACE.toString());
            try (HeraldProcess first = HeraldProcess.start("graceful-first", settings)) {
                first.post("/topics", "{\"name\": \"graceful.test\"}");
                // Slow enough that requests are in flight when the signal comes.
                receiver.always("/graceful", new Answer(200, null, 300));
                first.post(
                        "/subscriptions",
                        "{\"topic\": \"graceful.test\", \"kind\": \"webhook\", \"webhook\": {\"url\": \""
                                + receiver.url("/graceful") + "\"}}");
                Thread.sleep(1500); // the lane attaches

                Set<Integer> accepted = ConcurrentHashMap.newKeySet();
                Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
                AtomicBoolean publishing = new AtomicBoolean(true);
                AtomicInteger next = new AtomicInteger();
                List<Thread> publishers = new ArrayList<>();
                for (int i = 0; i < PUBLISHERS; i++) {
                    Thread publisher = new Thread(() -> {
                        while (publishing.get()) {
                            int n = next.getAndIncrement();
                            String outcome = publish(first.api(), n);
                            pause(); // a steady load, not a flood of refusals once the instance stops listening
                            if (outcome.equals("202")) {
                                accepted.add(n);
                            } else {
                                refused.computeIfAbsent(outcome, k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        }
                    });
                    publisher.start();
                    publishers.add(publisher);
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.requests("/graceful").size() >= 20);

                long signalled = System.nanoTime();
                first.terminate();
                // Readiness goes DOWN at once, while publishing still answers (the load balancer's time to notice).
                await().atMost(DELAY).pollInterval(Duration.ofMillis(50)).until(() -> first.ready() == 503);
                int acceptedWhenDown = accepted.size();
                await().atMost(DELAY).until(() -> accepted.size() > acceptedWhenDown);
                assertTrue(
                        first.process().waitFor(DELAY.plus(GRACE).plus(GRACE).toSeconds() + 10, TimeUnit.SECONDS),
                        "the instance exits within its delay and grace");
                double exitSeconds = (System.nanoTime() - signalled) / 1e9;
                publishing.set(false);
                receiver.always("/graceful", Answer.status(200)); // the backlog left in the queue goes quickly
                for (Thread publisher : publishers) {
                    publisher.join();
                }
                String log = first.log();
                assertTrue(
                        log.contains("Delivery stopped: every attempt in flight answered and recorded"),
                        "the lanes drained: " + tail(log));
                int receivedByFirst = receiver.requests("/graceful").size();

                try (HeraldProcess second = HeraldProcess.start("graceful-second", settings)) {
                    await().atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1))
                            .untilAsserted(() -> assertTrue(
                                    received(receiver).keySet().containsAll(accepted),
                                    "every accepted event reached the receiver"));
                    Map<Integer, Integer> received = received(receiver);
                    long duplicates = received.values().stream()
                            .filter(times -> times > 1)
                            .count();
                    System.out.printf(
                            "[graceful] SIGTERM under load: exit after %.1f s (exit code %d); %d events accepted,"
                                    + " refused while stopping %s; %d requests made by the first instance, all %d"
                                    + " events received after the second started, %d twice%n",
                            exitSeconds,
                            first.process().exitValue(),
                            accepted.size(),
                            refused,
                            receivedByFirst,
                            accepted.size(),
                            duplicates);
                    assertEquals(0, duplicates, "an attempt in flight at the signal was finished, not redone");
                }
            }
        }
    }

    /** "202", another status, or the failure's class (the instance no longer listening). */
    private String publish(String api, int n) {
        try {
            return Integer.toString(http.send(
                            HttpRequest.newBuilder(URI.create(api + "/topics/graceful.test/events"))
                                    .header("X-API-Key", HeraldApi.ADMIN_KEY)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many times each event arrived, by its number. */
    private static Map<Integer, Integer> received(WebhookReceiver receiver) {
        Map<Integer, Integer> times = new HashMap<>();
        for (WebhookReceiver.Request request : receiver.requests("/graceful")) {
            Matcher n = N.matcher(request.bodyText());
            if (n.find()) {
                times.merge(Integer.parseInt(n.group(1)), 1, Integer::sum);
            }
        }
        return times;
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 3000));
    }
}
