package io.herald.ingest.source;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.client.ApiException;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SchemasApi;
import io.herald.client.api.SourcesApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.EventOut;
import io.herald.client.model.SchemaIn;
import io.herald.client.model.SecretRotation;
import io.herald.client.model.SourceCounters;
import io.herald.client.model.SourceHmac;
import io.herald.client.model.SourceIn;
import io.herald.client.model.SourceOut;
import io.herald.client.model.SourceRotateIn;
import io.herald.client.model.TopicIn;
import io.herald.testing.HeraldApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inbound webhooks signed the way each provider documents it; the signatures are computed here from the providers'
 * specifications, not with Herald's code.
 */
@QuarkusTest
@Tag("external")
class SourceTest {
    @TestHTTPResource("/")
    URL base;

    SourcesApi sources;
    EventsApi events;
    String topic;

    @BeforeEach
    void topic() throws ApiException {
        sources = new SourcesApi(HeraldApi.client(base));
        events = new EventsApi(HeraldApi.client(base));
        topic = "inbound." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static ValidatableResponse send(String sourceId, String body, String... headers) {
        RequestSpecification request =
                given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.post("/ingest/" + sourceId).then();
    }

    // --- GitHub: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, body)) -------------------------------

    private static String github(String secret, String body) throws Exception {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), body));
    }

    @Test
    void github() throws Exception {
        String secret = "it's a secret to everybody";
        SourceOut source = sources.createSource(
                new SourceIn().kind(SourceIn.KindEnum.GITHUB).topic(topic).secret(secret));
        String body = "{\"action\": \"opened\", \"issue\": {\"number\": 7}}";
        String delivery = UUID.randomUUID().toString();

        String id = send(
                        source.getId(),
                        body,
                        "X-GitHub-Event",
                        "issues",
                        "X-GitHub-Delivery",
                        delivery,
                        "X-Hub-Signature-256",
                        github(secret, body))
                .statusCode(202)
                .body("status", equalTo("accepted"))
                .extract()
                .path("id");
        EventOut event = events.getEvent(id);
        assertEquals("github.issues.opened", event.getType());
        assertEquals(delivery, event.getCeId());
        assertEquals("/sources/" + source.getId(), event.getSource());
        assertEquals(Map.of("action", "opened", "issue", Map.of("number", 7)), event.getData());

        send(
                        source.getId(),
                        body,
                        "X-GitHub-Event",
                        "issues",
                        "X-GitHub-Delivery",
                        delivery,
                        "X-Hub-Signature-256",
                        github(secret, body))
                .statusCode(200)
                .body("status", equalTo("duplicate"))
                .body("id", equalTo(id));
        send(
                        source.getId(),
                        body.replace("7", "8"),
                        "X-GitHub-Event",
                        "issues",
                        "X-GitHub-Delivery",
                        "d2",
                        "X-Hub-Signature-256",
                        github(secret, body))
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:herald:problem:unauthorized"));
        send(
                        source.getId(),
                        body,
                        "X-GitHub-Event",
                        "issues",
                        "X-GitHub-Delivery",
                        "d3",
                        "X-Hub-Signature-256",
                        github("wrong secret", body))
                .statusCode(401);
        send(source.getId(), body, "X-GitHub-Event", "issues", "X-GitHub-Delivery", "d4")
                .statusCode(401);

        SourceCounters counters = sources.getSource(source.getId()).getCounters();
        assertEquals(5, counters.getReceived());
        assertEquals(3, counters.getRejected());
        assertEquals(1, counters.getDeduplicated());
        assertEquals(
                1,
                events.listEvents(topic, null, null, null, null, null, 10)
                        .getItems()
                        .size(),
                "nothing refused was stored");
    }

    // --- Stripe: Stripe-Signature: t=<unix>,v1=hex(HMAC-SHA256(secret, t + "." + body)) -----------------------

    private static String stripe(String secret, long timestamp, String body) throws Exception {
        return "t=" + timestamp + ",v1="
                + HexFormat.of()
                        .formatHex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), timestamp + "." + body));
    }

    @Test
    void stripe() throws Exception {
        SourceOut source = sources.createSource(
                new SourceIn().kind(SourceIn.KindEnum.STRIPE).topic(topic));
        String secret = source.getSecret();
        long now = System.currentTimeMillis() / 1000;
        String body =
                "{\"id\": \"evt_1Stripe\", \"type\": \"payment_intent.succeeded\", \"data\": {\"object\": {\"amount\": 2000}}}";

        String id = send(source.getId(), body, "Stripe-Signature", stripe(secret, now, body))
                .statusCode(202)
                .extract()
                .path("id");
        EventOut event = events.getEvent(id);
        assertEquals("payment_intent.succeeded", event.getType());
        assertEquals("evt_1Stripe", event.getCeId());
        // Stripe retries with a new timestamp and signature: still the same event.
        send(source.getId(), body, "Stripe-Signature", stripe(secret, now + 5, body))
                .statusCode(200)
                .body("id", equalTo(id));
        send(source.getId(), body, "Stripe-Signature", stripe(secret, now - 600, body))
                .statusCode(401)
                .body("detail", containsString("tolerance"));
        send(source.getId(), body.replace("2000", "1"), "Stripe-Signature", stripe(secret, now, body))
                .statusCode(401);
    }

    // --- Standard Webhooks: webhook-signature = "v1," + base64(HMAC-SHA256(base64decode(secret after whsec_),
    //     id + "." + timestamp + "." + body)) -------------------------------------------------------------------

    private static String standard(String secret, String id, long timestamp, String body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return "v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, id + "." + timestamp + "." + body));
    }

    @Test
    void standardWebhooksWithRotation() throws Exception {
        SourceOut source = sources.createSource(
                new SourceIn().kind(SourceIn.KindEnum.STANDARD_WEBHOOKS).topic(topic));
        String oldSecret = source.getSecret();
        long now = System.currentTimeMillis() / 1000;
        String body =
                "{\"type\": \"invoice.paid\", \"timestamp\": \"2026-11-26T10:00:00Z\", \"data\": {\"invoice\": \"in_1\"}}";

        String id = send(
                        source.getId(),
                        body,
                        "webhook-id",
                        "msg_1",
                        "webhook-timestamp",
                        Long.toString(now),
                        "webhook-signature",
                        standard(oldSecret, "msg_1", now, body))
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals("invoice.paid", events.getEvent(id).getType());
        assertEquals("msg_1", events.getEvent(id).getCeId());
        send(
                        source.getId(),
                        body,
                        "webhook-id",
                        "msg_2",
                        "webhook-timestamp",
                        Long.toString(now - 3600),
                        "webhook-signature",
                        standard(oldSecret, "msg_2", now - 3600, body))
                .statusCode(401);

        SecretRotation rotation = sources.rotateSourceSecret(source.getId(), new SourceRotateIn());
        send(
                        source.getId(),
                        body,
                        "webhook-id",
                        "msg_3",
                        "webhook-timestamp",
                        Long.toString(now),
                        "webhook-signature",
                        standard(rotation.getSecret(), "msg_3", now, body))
                .statusCode(202);
        send(
                        source.getId(),
                        body,
                        "webhook-id",
                        "msg_4",
                        "webhook-timestamp",
                        Long.toString(now),
                        "webhook-signature",
                        standard(oldSecret, "msg_4", now, body))
                .statusCode(202);
    }

    // --- Generic HMAC: the configured header, SHA-512, base64, with a prefix ---------------------------------------

    @Test
    void genericHmac() throws Exception {
        SourceOut source = sources.createSource(new SourceIn()
                .kind(SourceIn.KindEnum.HMAC)
                .topic(topic)
                .secret("shared-secret-123")
                .hmac(new SourceHmac()
                        .header("X-Signature")
                        .algorithm(SourceHmac.AlgorithmEnum.SHA512)
                        .encoding(SourceHmac.EncodingEnum.BASE64)
                        .prefix("sha512="))
                .typePointer("/event/kind")
                .dedupHeader("X-Delivery"));
        String body = "{\"event\": {\"kind\": \"parcel.shipped\"}, \"parcel\": \"p-1\"}";
        String signature = "sha512="
                + Base64.getEncoder()
                        .encodeToString(hmac("HmacSHA512", "shared-secret-123".getBytes(StandardCharsets.UTF_8), body));

        String id = send(source.getId(), body, "X-Signature", signature, "X-Delivery", "dl-1")
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals("parcel.shipped", events.getEvent(id).getType());
        send(source.getId(), body, "X-Signature", signature, "X-Delivery", "dl-1")
                .statusCode(200);
        send(source.getId(), body, "X-Signature", signature.replace("sha512=", ""), "X-Delivery", "dl-2")
                .statusCode(401);
    }

    @Test
    void verifiedWebhooksAreSchemaValidated() throws Exception {
        new SchemasApi(HeraldApi.client(base))
                .registerSchema(
                        topic,
                        new SchemaIn().schema(Map.of("type", "object", "required", java.util.List.of("action"))));
        String secret = "schema-checked-secret";
        SourceOut source = sources.createSource(
                new SourceIn().kind(SourceIn.KindEnum.GITHUB).topic(topic).secret(secret));
        String body = "{\"zen\": \"Keep it logically awesome.\"}";
        send(
                        source.getId(),
                        body,
                        "X-GitHub-Event",
                        "ping",
                        "X-GitHub-Delivery",
                        "p-1",
                        "X-Hub-Signature-256",
                        github(secret, body))
                .statusCode(422)
                .body("type", equalTo("urn:herald:problem:schema-violation"));
    }

    @Test
    void refusals() throws Exception {
        send("src_missing", "{}").statusCode(404).contentType(startsWith("application/problem+json"));
        HeraldApi.assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> sources.createSource(
                        new SourceIn().kind(SourceIn.KindEnum.HMAC).topic("no.such.topic")));
    }
}
