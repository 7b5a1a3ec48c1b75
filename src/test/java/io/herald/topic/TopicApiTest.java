package io.herald.topic;

import static io.herald.testing.HeraldApi.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.ApiException;
import io.herald.client.ApiResponse;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.CompatibilityMode;
import io.herald.client.model.Problem;
import io.herald.client.model.TopicIn;
import io.herald.client.model.TopicOut;
import io.herald.client.model.TopicPage;
import io.herald.client.model.TopicPatch;
import io.herald.testing.HeraldApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The topics API through the client generated from openapi.yaml, as a program using Herald would call it. */
@QuarkusTest
@Tag("external")
class TopicApiTest {
    @TestHTTPResource("/")
    URL base;

    TopicsApi topics;

    @BeforeEach
    void client() {
        topics = new TopicsApi(HeraldApi.client(base));
    }

    private static String uniqueName(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createGetUpdateDelete() throws ApiException {
        String name = uniqueName("order.placed");
        ApiResponse<TopicOut> created = topics.createTopicWithHttpInfo(
                new TopicIn().name(name).description("Orders customers placed").owner("checkout-team"));
        assertEquals(201, created.getStatusCode());
        assertTrue(created.getHeaders().get("location").get(0).endsWith("/api/v1/topics/" + name));
        assertEquals("P7D", created.getData().getRetention(), "default retention");
        assertEquals(CompatibilityMode.BACKWARD, created.getData().getCompatibility(), "default compatibility");

        TopicOut read = topics.getTopic(name);
        assertEquals("Orders customers placed", read.getDescription());
        assertEquals("checkout-team", read.getOwner());
        assertEquals(created.getData().getCreatedAt(), read.getCreatedAt());

        TopicOut changed = topics.updateTopic(
                name,
                new TopicPatch()
                        .retention("PT36H")
                        .compatibility(CompatibilityMode.FULL)
                        .owner(""));
        assertEquals("PT36H", changed.getRetention());
        assertEquals(CompatibilityMode.FULL, changed.getCompatibility());
        assertNull(changed.getOwner(), "an empty string clears the owner");
        assertEquals("Orders customers placed", changed.getDescription(), "absent fields are kept");
        assertEquals(changed.getRetention(), topics.getTopic(name).getRetention());

        topics.deleteTopic(name);
        assertProblem(404, "urn:herald:problem:not-found", () -> topics.getTopic(name));
        assertProblem(404, "urn:herald:problem:not-found", () -> topics.deleteTopic(name));
    }

    @Test
    void listIsKeysetPagedByName() throws ApiException {
        String prefix = "paging-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> names = List.of(prefix + ".a", prefix + ".b", prefix + ".c", prefix + ".d", prefix + ".e");
        for (String name : names) {
            topics.createTopic(new TopicIn().name(name));
        }
        List<String> seen = new ArrayList<>();
        String after = prefix;
        TopicPage page;
        do {
            page = topics.listTopics(after, 2);
            assertTrue(page.getItems().size() <= 2);
            page.getItems().stream()
                    .map(TopicOut::getName)
                    .filter(n -> n.startsWith(prefix + "."))
                    .forEach(seen::add);
            after = page.getNext();
        } while (after != null && after.startsWith(prefix));
        assertEquals(names, seen);
    }

    @Test
    void duplicateNameIsAConflict() throws ApiException {
        String name = uniqueName("payment.processed");
        topics.createTopic(new TopicIn().name(name));
        Problem problem = assertProblem(
                409, "urn:herald:problem:already-exists", () -> topics.createTopic(new TopicIn().name(name)));
        assertTrue(problem.getDetail().contains(name), problem.getDetail());
    }

    @Test
    void invalidFieldsAreAllListedWithPointers() {
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> topics.createTopic(new TopicIn()
                        .name("Order..Placed")
                        .retention("seven days")
                        .owner("x".repeat(201))));
        assertEquals(3, problem.getErrors().size(), problem.toString());
        assertEquals(
                List.of("/name", "/owner", "/retention"),
                problem.getErrors().stream().map(e -> e.getPointer()).toList());
        assertNotNull(problem.getErrors().get(2).getDetail());
        assertTrue(
                problem.getErrors().get(2).getDetail().contains("ISO-8601"),
                problem.getErrors().get(2).getDetail());
    }

    @Test
    void nameRulesExplainWhatIsWrong() {
        for (String bad : List.of(
                "Order.placed",
                ".order",
                "order.",
                "order..placed",
                "order placed",
                "order.*",
                "herald.delivery.exhausted",
                "-order")) {
            Problem problem = assertProblem(
                    422, "urn:herald:problem:validation-failed", () -> topics.createTopic(new TopicIn().name(bad)));
            assertEquals("/name", problem.getErrors().get(0).getPointer(), bad);
        }
    }

    @Test
    void retentionOutOfBoundsIsRefused() throws ApiException {
        assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> topics.createTopic(new TopicIn().name(uniqueName("short")).retention("PT5M")));
        String name = uniqueName("patched");
        topics.createTopic(new TopicIn().name(name));
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> topics.updateTopic(name, new TopicPatch().retention("P9999D")));
        assertEquals("/retention", problem.getErrors().get(0).getPointer());
        assertEquals("P7D", topics.getTopic(name).getRetention(), "a refused change leaves the topic as it was");
    }

    @Test
    void badPageSizeIsRefused() {
        Problem problem = assertProblem(422, "urn:herald:problem:validation-failed", () -> topics.listTopics(null, 0));
        assertEquals("/limit", problem.getErrors().get(0).getPointer());
    }
}
