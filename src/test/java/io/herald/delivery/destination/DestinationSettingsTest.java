package io.herald.delivery.destination;

import static io.herald.testing.HeraldApi.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.FieldError;
import io.herald.client.model.NatsSettings;
import io.herald.client.model.Problem;
import io.herald.client.model.RedisSettings;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.SubscriptionPatch;
import io.herald.client.model.TopicIn;
import io.herald.client.model.WebhookIn;
import io.herald.testing.HeraldApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Engine destinations' settings are checked when saved, each mistake named by its JSON pointer; nothing is stored. */
@QuarkusTest
class DestinationSettingsTest {
    private static final String INVALID = "urn:herald:problem:validation-failed";

    @TestHTTPResource("/")
    URL base;

    @Test
    void aNatsSubscriptionNeedsAConfiguredConnectionAndASubjectToPublishTo() throws Exception {
        String topic = topic();
        assertPointers(List.of("/nats"), () -> subscriptions().createSubscription(nats(topic, null)));
        assertPointers(
                List.of("/nats/connection", "/nats/subject"),
                () -> subscriptions()
                        .createSubscription(nats(
                                topic,
                                new NatsSettings().connection("elsewhere").subject("orders.*"))));
        assertPointers(
                List.of("/nats/subject"),
                () -> subscriptions().createSubscription(nats(topic, new NatsSettings().subject("events.{kind}"))));
        assertPointers(
                List.of("/nats/maxInFlight", "/nats/retrySchedule/0", "/webhook"),
                () -> subscriptions()
                        .createSubscription(nats(
                                        topic,
                                        new NatsSettings()
                                                .subject("events.{type}")
                                                .maxInFlight(0)
                                                .retrySchedule(List.of("soon")))
                                .webhook(new WebhookIn().url(URI.create("http://127.0.0.1:9/hook")))));
        assertEquals(0, subscriptionsOf(topic), "nothing stored");
    }

    @Test
    void aRedisSubscriptionNeedsAStreamAndABoundedCap() throws Exception {
        String topic = topic();
        assertPointers(
                List.of("/redis/maxLen", "/redis/stream"),
                () -> subscriptions().createSubscription(redis(topic, new RedisSettings().maxLen(0L))));
        assertPointers(
                List.of("/redis"),
                () -> subscriptions()
                        .createSubscription(new SubscriptionIn()
                                .topic(topic)
                                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                                .webhook(new WebhookIn().url(URI.create("http://127.0.0.1:9/hook")))
                                .redis(new RedisSettings().stream("s"))));
        assertEquals(0, subscriptionsOf(topic), "nothing stored");
    }

    @Test
    void settingsAreShownAsSavedAndChangedByAPatch() throws Exception {
        String topic = topic();
        SubscriptionOut created = subscriptions()
                .createSubscription(redis(
                        topic, new RedisSettings().stream("herald:{topic}").maxLen(5000L)));
        assertEquals("default", created.getRedis().getConnection());
        assertEquals("herald:{topic}", created.getRedis().getStream());
        assertEquals(5000L, created.getRedis().getMaxLen());

        SubscriptionOut changed = subscriptions()
                .updateSubscription(
                        created.getId(),
                        new SubscriptionPatch()
                                .redis(new RedisSettings()
                                        .stream("other:{type}").maxInFlight(2)));
        assertEquals("other:{type}", changed.getRedis().getStream());
        assertEquals(5000L, changed.getRedis().getMaxLen(), "what the patch leaves out stays");
        assertEquals(2, changed.getRedis().getMaxInFlight());
        assertEquals(changed, subscriptions().getSubscription(created.getId()));
        assertPointers(
                List.of("/nats"),
                () -> subscriptions()
                        .updateSubscription(
                                created.getId(), new SubscriptionPatch().nats(new NatsSettings().subject("x"))));
        Problem noSecret = assertProblem(
                404, "urn:herald:problem:not-found", () -> subscriptions().getSubscriptionSecret(created.getId()));
        assertEquals(
                "Subscription '" + created.getId()
                        + "' is a redis subscription and has no secret: only webhooks are signed",
                noSecret.getDetail());
    }

    private SubscriptionsApi subscriptions() {
        return new SubscriptionsApi(HeraldApi.client(base));
    }

    private long subscriptionsOf(String topic) throws Exception {
        return subscriptions().listSubscriptions(null, 200).getItems().stream()
                .filter(s -> s.getTopic().equals(topic))
                .count();
    }

    private String topic() throws Exception {
        String topic = "settings." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
        return topic;
    }

    private static SubscriptionIn nats(String topic, NatsSettings settings) {
        return new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.NATS)
                .nats(settings);
    }

    private static SubscriptionIn redis(String topic, RedisSettings settings) {
        return new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.REDIS)
                .redis(settings);
    }

    private static void assertPointers(List<String> pointers, Executable call) {
        Problem problem = assertProblem(422, INVALID, call);
        assertEquals(
                pointers,
                problem.getErrors().stream()
                        .map(FieldError::getPointer)
                        .sorted()
                        .toList(),
                problem.toString());
    }
}
