package io.herald.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.herald.client.ApiException;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SchemasApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.EventOut;
import io.herald.client.model.EventPage;
import io.herald.client.model.SchemaIn;
import io.herald.client.model.TopicIn;
import io.herald.testing.HeraldApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Publishing events in every content mode, and every refusal, as a producer sees them. */
@QuarkusTest
@Tag("external")
class IngestTest {
    private static final String ORDER_SCHEMA = """
            {"type": "object", "required": ["orderId", "amount"],
             "properties": {"orderId": {"type": "string"}, "amount": {"type": "number", "minimum": 0}}}""";

    @TestHTTPResource("/")
    URL base;

    EventsApi events;
    String topic;

    @BeforeEach
    void topicWithSchema() throws Exception {
        events = new EventsApi(HeraldApi.client(base));
        topic = "order.placed." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
        new SchemasApi(HeraldApi.client(base))
                .registerSchema(
                        topic,
                        new SchemaIn()
                                .schema(new com.fasterxml.jackson.databind.ObjectMapper()
                                        .readValue(ORDER_SCHEMA, Object.class)));
    }

    private String path() {
        return "/api/v1/topics/" + topic + "/events";
    }

    private ValidatableResponse post(String contentType, String body, String... headers) {
        var request = given().contentType(contentType).body(body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.post(path()).then();
    }

    @Test
    void plainJsonWithHeaders() throws ApiException {
        var accepted = post(
                        "application/json",
                        "{\"orderId\": \"o-1\", \"amount\": 12.5}",
                        "Herald-Event-Type",
                        "order.placed.v1",
                        "Herald-Event-Subject",
                        "customers/42",
                        "Herald-Event-Id",
                        "client-1")
                .statusCode(202)
                .body("status", equalTo("accepted"))
                .body("schemaVersion", equalTo(1))
                .body("ceId", equalTo("client-1"))
                .extract();
        String id = accepted.path("id");
        // An absolute URL a client can follow to the stored event.
        assertEquals(base + "api/v1/events/" + id, accepted.header("Location"));
        given().get(accepted.header("Location")).then().statusCode(200).body("id", equalTo(id));
        EventOut stored = events.getEvent(id);
        assertEquals(topic, stored.getTopic());
        assertEquals("order.placed.v1", stored.getType());
        assertEquals("customers/42", stored.getSubject());
        assertEquals("/topics/" + topic, stored.getSource());
        assertEquals(Map.of("orderId", "o-1", "amount", 12.5), stored.getData());
        assertEquals(1, stored.getSchemaVersion());
    }

    @Test
    void cloudEventsStructured() throws ApiException {
        String id = post("application/cloudevents+json", """
                {"specversion": "1.0", "id": "ce-1", "source": "/shop/checkout", "type": "com.shop.order.placed",
                 "subject": "orders/1", "time": "2026-11-26T10:15:30Z", "traceparent": "00-abc-def-01", "region": "eu",
                 "data": {"orderId": "o-2", "amount": 3}}""")
                .statusCode(202)
                .extract()
                .path("id");
        EventOut stored = events.getEvent(id);
        assertEquals("ce-1", stored.getCeId());
        assertEquals("/shop/checkout", stored.getSource());
        assertEquals("com.shop.order.placed", stored.getType());
        assertEquals(Map.of("traceparent", "00-abc-def-01", "region", "eu"), stored.getExtensions());
        assertEquals("2026-11-26T10:15:30Z", stored.getTime().toInstant().toString());
    }

    @Test
    void cloudEventsBinary() throws ApiException {
        String id = post(
                        "application/json",
                        "{\"orderId\": \"o-3\", \"amount\": 7}",
                        "ce-specversion",
                        "1.0",
                        "ce-id",
                        "bin-1",
                        "ce-source",
                        "/shop/pos",
                        "ce-type",
                        "com.shop.order.placed",
                        "ce-schemaversion",
                        "1")
                .statusCode(202)
                .extract()
                .path("id");
        EventOut stored = events.getEvent(id);
        assertEquals("bin-1", stored.getCeId());
        assertEquals("/shop/pos", stored.getSource());
        assertEquals(Map.of("orderId", "o-3", "amount", 7), stored.getData());
    }

    @Test
    void batchesInBothForms() throws ApiException {
        post("application/cloudevents-batch+json", """
                [{"specversion": "1.0", "id": "b-1", "source": "/s", "type": "t", "data": {"orderId": "a", "amount": 1}},
                 {"specversion": "1.0", "id": "b-2", "source": "/s", "type": "t", "data": {"orderId": "b", "amount": 2}}]""")
                .statusCode(202)
                .body("items", hasSize(2))
                .body("items.status", equalTo(List.of("accepted", "accepted")));
        post(
                        "application/json",
                        "[{\"orderId\": \"c\", \"amount\": 3}, {\"orderId\": \"d\", \"amount\": 4}, {\"orderId\": \"e\", \"amount\": 5}]")
                .statusCode(202)
                .body("items", hasSize(3));
        EventPage page = events.listEvents(topic, null, null, null, null, null, 10);
        assertEquals(5, page.getItems().size());
        assertEquals(
                List.of("e", "d", "c"),
                page.getItems().subList(0, 3).stream()
                        .map(e -> ((Map<?, ?>) e.getData()).get("orderId"))
                        .toList(),
                "newest first, in batch order");
    }

    @Test
    void batchIsAllOrNothingWithPerItemErrors() throws ApiException {
        post("application/cloudevents-batch+json", """
                [{"specversion": "1.0", "id": "x-1", "source": "/s", "type": "t", "data": {"orderId": "a", "amount": 1}},
                 {"specversion": "1.0", "id": "x-2", "source": "/s", "type": "t", "data": {"orderId": "b", "amount": -2}},
                 {"specversion": "1.0", "source": "/s", "type": "t", "data": {"orderId": "c", "amount": 3}}]""")
                .statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/2/id"));
        post("application/cloudevents-batch+json", """
                [{"specversion": "1.0", "id": "y-1", "source": "/s", "type": "t", "data": {"orderId": "a", "amount": 1}},
                 {"specversion": "1.0", "id": "y-2", "source": "/s", "type": "t", "data": {"orderId": "b", "amount": -2}}]""")
                .statusCode(422)
                .body("type", equalTo("urn:herald:problem:schema-violation"))
                .body("errors.pointer", equalTo(List.of("/1/data/amount")));
        assertEquals(
                0,
                events.listEvents(topic, null, null, null, null, null, 10)
                        .getItems()
                        .size(),
                "nothing was stored");
    }

    @Test
    void refusalsAreProblemsAndStoreNothing() throws ApiException {
        post("application/json", "{\"orderId\": \"o\", \"amount\": }")
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("line 1"));
        post("application/json", "{\"orderId\": \"o\", \"amount\": -1}")
                .statusCode(422)
                .body("type", equalTo("urn:herald:problem:schema-violation"))
                .body("errors.pointer", equalTo(List.of("/amount")));
        post("application/json", "{\"amount\": \"x\"}").statusCode(422).body("errors", hasSize(2));
        post("text/plain", "hello").statusCode(415).contentType(startsWith("application/problem+json"));
        post("application/cloudevents+json", "{\"specversion\": \"0.3\", \"id\": \"\", \"type\": \"t\"}")
                .statusCode(422)
                .body("errors.pointer", equalTo(List.of("/specversion", "/id", "/source")));
        post("application/json", "{\"orderId\": \"" + "x".repeat(1_100_000) + "\", \"amount\": 1}")
                .statusCode(413)
                .contentType(startsWith("application/problem+json"));
        post("application/json", "{}", "Herald-Schema-Version", "9").statusCode(422);
        given().contentType("application/json")
                .body("{}")
                .post("/api/v1/topics/no.such.topic/events")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
        assertEquals(
                0,
                events.listEvents(topic, null, null, null, null, null, 10)
                        .getItems()
                        .size(),
                "nothing was stored");
    }

    @Test
    void tooManyEventsInABatch() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"orderId\": \"o\", \"amount\": 1}");
        }
        post("application/json", batch.append("]").toString()).statusCode(413).body("detail", containsString("501"));
    }

    @Test
    void repostsAreIdempotent() throws ApiException {
        String original = post(
                        "application/json", "{\"orderId\": \"o-9\", \"amount\": 9}", "Herald-Event-Id", "same-id")
                .statusCode(202)
                .extract()
                .path("id");
        post("application/json", "{\"orderId\": \"o-9\", \"amount\": 9}", "Herald-Event-Id", "same-id")
                .statusCode(200)
                .header("Location", equalTo(base + "api/v1/events/" + original))
                .body("id", equalTo(original))
                .body("data.orderId", equalTo("o-9"));
        post("application/json", "{\"orderId\": \"o-9\", \"amount\": 10}", "Herald-Event-Id", "same-id")
                .statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString(original));
        // The same id from another source is another event.
        post(
                        "application/json",
                        "{\"orderId\": \"o-9\", \"amount\": 10}",
                        "Herald-Event-Id",
                        "same-id",
                        "Herald-Event-Source",
                        "/other")
                .statusCode(202);
        // Within one batch, a repeated id with the same data is a duplicate of the first.
        post("application/cloudevents-batch+json", """
                [{"specversion": "1.0", "id": "twice", "source": "/s", "type": "t", "data": {"orderId": "a", "amount": 1}},
                 {"specversion": "1.0", "id": "twice", "source": "/s", "type": "t", "data": {"orderId": "a", "amount": 1}}]""")
                .statusCode(202)
                .body("items.status", equalTo(List.of("accepted", "duplicate")));
        assertEquals(
                3,
                events.listEvents(topic, null, null, null, null, null, 10)
                        .getItems()
                        .size());
    }

    @Test
    void eventSearchIsKeysetPagedAndFiltered() throws ApiException {
        for (int i = 0; i < 5; i++) {
            post(
                            "application/json",
                            "{\"orderId\": \"p" + i + "\", \"amount\": " + i + "}",
                            "Herald-Event-Subject",
                            i % 2 == 0 ? "even" : "odd")
                    .statusCode(202);
        }
        EventPage first = events.listEvents(topic, null, null, null, null, null, 2);
        EventPage second = events.listEvents(topic, null, null, null, null, first.getNext(), 2);
        EventPage third = events.listEvents(topic, null, null, null, null, second.getNext(), 2);
        assertEquals(
                List.of(2, 2, 1),
                List.of(
                        first.getItems().size(),
                        second.getItems().size(),
                        third.getItems().size()));
        assertNull(third.getNext());
        assertEquals(
                3,
                events.listEvents(topic, null, "even", null, null, null, 10)
                        .getItems()
                        .size());
        assertEquals(
                0,
                events.listEvents(topic, "no.such.type", null, null, null, null, 10)
                        .getItems()
                        .size());
        given().get("/api/v1/events?after=garbage").then().statusCode(422).body("errors.pointer", hasItem("/after"));
        HeraldApi.assertProblem(404, "urn:herald:problem:not-found", () -> events.getEvent("evt_missing"));
    }
}
