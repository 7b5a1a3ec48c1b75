package io.herald.schema;

import static io.herald.testing.HeraldApi.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiException;
import io.herald.client.ApiResponse;
import io.herald.client.api.SchemasApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.CompatibilityMode;
import io.herald.client.model.CompatibilityReport;
import io.herald.client.model.FieldError;
import io.herald.client.model.Problem;
import io.herald.client.model.SchemaIn;
import io.herald.client.model.SchemaVersionOut;
import io.herald.client.model.TopicIn;
import io.herald.client.model.TopicPatch;
import io.herald.client.model.ValidationOut;
import io.herald.testing.HeraldApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The schema registry end to end, through the client generated from openapi.yaml. */
@QuarkusTest
@Tag("external")
class SchemaApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    SchemasApi schemas;
    TopicsApi topics;
    String topic;

    @BeforeEach
    void topic() throws ApiException {
        schemas = new SchemasApi(HeraldApi.client(base));
        topics = new TopicsApi(HeraldApi.client(base));
        topic = "order.placed." + UUID.randomUUID().toString().substring(0, 8);
        topics.createTopic(new TopicIn().name(topic));
    }

    private static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final String ORDER_V1 = """
            {"type": "object", "additionalProperties": false,
             "properties": {"orderId": {"type": "string"}, "amount": {"type": "number", "minimum": 0}},
             "required": ["orderId", "amount"]}""";
    private static final String ORDER_V2 = """
            {"type": "object", "additionalProperties": false,
             "properties": {"orderId": {"type": "string"}, "amount": {"type": "number", "minimum": 0},
                            "currency": {"type": "string", "minLength": 3, "maxLength": 3}},
             "required": ["orderId", "amount"]}""";
    private static final String ORDER_BREAKING = """
            {"type": "object", "additionalProperties": false,
             "properties": {"orderId": {"type": "string"}, "amount": {"type": "integer", "minimum": 0},
                            "currency": {"type": "string", "minLength": 3, "maxLength": 3}},
             "required": ["orderId", "amount", "currency"]}""";

    @Test
    void registerEvolveAndRefuseABreakingChange() throws ApiException {
        ApiResponse<SchemaVersionOut> first =
                schemas.registerSchemaWithHttpInfo(topic, new SchemaIn().schema(json(ORDER_V1)));
        assertEquals(201, first.getStatusCode());
        assertEquals(1, first.getData().getVersion());
        assertEquals(
                "https://json-schema.org/draft/2020-12/schema", first.getData().getDialect());

        // The same schema with keys in another order and other whitespace is the same version.
        ApiResponse<SchemaVersionOut> again =
                schemas.registerSchemaWithHttpInfo(topic, new SchemaIn().schema(json("""
                {"required": ["orderId", "amount"], "properties": {"amount": {"minimum": 0, "type": "number"},
                 "orderId": {"type": "string"}}, "additionalProperties": false, "type": "object"}""")));
        assertEquals(200, again.getStatusCode());
        assertEquals(1, again.getData().getVersion());
        assertEquals(first.getData().getFingerprint(), again.getData().getFingerprint());

        SchemaVersionOut second = schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_V2)));
        assertEquals(2, second.getVersion());
        assertEquals(2, schemas.getSchemaVersion(topic, "latest").getVersion());

        CompatibilityReport dryRun =
                schemas.checkSchemaCompatibility(topic, new SchemaIn().schema(json(ORDER_BREAKING)));
        assertFalse(dryRun.getCompatible());
        assertEquals(CompatibilityMode.BACKWARD, dryRun.getMode());
        assertEquals(List.of(2), dryRun.getCheckedAgainst());
        assertEquals(
                List.of("/properties/amount/type", "/required"),
                dryRun.getIncompatibilities().stream()
                        .map(f -> f.getPointer())
                        .sorted()
                        .toList());

        Problem refusal = assertProblem(
                409,
                "urn:herald:problem:schema-incompatible",
                () -> schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_BREAKING))));
        assertEquals(
                List.of("/schema/properties/amount/type", "/schema/required"),
                refusal.getErrors().stream()
                        .map(FieldError::getPointer)
                        .sorted()
                        .toList());
        assertTrue(
                refusal.getErrors().stream().allMatch(e -> e.getDetail().startsWith("Breaks BACKWARD")),
                refusal.toString());
        assertTrue(
                refusal.getErrors().stream().anyMatch(e -> e.getDetail().contains("'currency'")), refusal.toString());
        assertEquals(
                2,
                schemas.listSchemaVersions(topic, null, null, null).getItems().size(),
                "nothing was stored");

        topics.updateTopic(topic, new TopicPatch().compatibility(CompatibilityMode.NONE));
        assertEquals(
                3,
                schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_BREAKING)))
                        .getVersion());
    }

    @Test
    void invalidSchemaIsRefusedWithTheMetaSchemaErrors() {
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> schemas.registerSchema(
                        topic,
                        new SchemaIn()
                                .schema(
                                        json(
                                                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"strin\"}, \"b\": {\"minimum\": \"zero\"}}}"))));
        List<String> pointers =
                problem.getErrors().stream().map(FieldError::getPointer).toList();
        assertTrue(pointers.contains("/schema/properties/a/type"), pointers.toString());
        assertTrue(pointers.contains("/schema/properties/b/minimum"), pointers.toString());

        Problem remote = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> schemas.registerSchema(
                        topic,
                        new SchemaIn()
                                .schema(json(
                                        "{\"properties\": {\"a\": {\"$ref\": \"https://example.org/a.json\"}}}"))));
        assertEquals("/schema/properties/a/$ref", remote.getErrors().get(0).getPointer());

        Problem dialect = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> schemas.registerSchema(
                        topic,
                        new SchemaIn().schema(json("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}"))));
        assertEquals("/schema/$schema", dialect.getErrors().get(0).getPointer());
    }

    @Test
    void draft07IsReadAsDraft07() throws ApiException {
        SchemaVersionOut version = schemas.registerSchema(topic, new SchemaIn().schema(json("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}}}""")));
        assertEquals("http://json-schema.org/draft-07/schema#", version.getDialect());
        schemas.validatePayload(topic, "1", json("{\"pair\": [\"a\", 1]}"));
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:schema-violation",
                () -> schemas.validatePayload(topic, "1", json("{\"pair\": [\"a\", \"b\"]}")));
        assertEquals("/pair/1", problem.getErrors().get(0).getPointer());
    }

    @Test
    void samplePayloadsAreValidatedWithEveryViolationListed() throws ApiException {
        ValidationOut noSchema = schemas.validatePayload(topic, "latest", json("{\"anything\": [1, true, null]}"));
        assertTrue(noSchema.getValid());
        assertNull(noSchema.getVersion(), "a topic without a schema accepts any JSON");

        schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_V1)));
        ValidationOut valid =
                schemas.validatePayload(topic, "latest", json("{\"orderId\": \"o-1\", \"amount\": 12.5}"));
        assertEquals(1, valid.getVersion());

        Problem problem = assertProblem(
                422,
                "urn:herald:problem:schema-violation",
                () -> schemas.validatePayload(topic, "1", json("{\"amount\": -3, \"coupon\": \"FREE\"}")));
        List<String> pointers = problem.getErrors().stream()
                .map(FieldError::getPointer)
                .sorted()
                .toList();
        assertEquals(
                List.of("", "", "/amount"), pointers, problem.toString()); // missing orderId, unknown coupon, minimum
        assertTrue(problem.getDetail().contains("3 violations"), problem.getDetail());

        assertProblem(
                422, "urn:herald:problem:validation-failed", () -> schemas.validatePayload(topic, "7", json("{}")));
        assertProblem(
                404,
                "urn:herald:problem:not-found",
                () -> schemas.validatePayload("no.such.topic", "latest", json("{}")));
    }

    @Test
    void formatsAreAsserted() throws ApiException {
        schemas.registerSchema(topic, new SchemaIn().schema(json("""
                {"type": "object", "properties": {"email": {"type": "string", "format": "email"},
                 "at": {"type": "string", "format": "date-time"}}}""")));
        schemas.validatePayload(
                topic, "latest", json("{\"email\": \"ada@example.com\", \"at\": \"2026-11-26T10:00:00Z\"}"));
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:schema-violation",
                () -> schemas.validatePayload(
                        topic, "latest", json("{\"email\": \"not an email\", \"at\": \"yesterday\"}")));
        assertEquals(
                List.of("/at", "/email"),
                problem.getErrors().stream()
                        .map(FieldError::getPointer)
                        .sorted()
                        .toList());
    }

    @Test
    void violationsAreCappedAndCounted() throws ApiException {
        List<String> names = IntStream.range(0, 150).mapToObj(i -> "p" + i).toList();
        schemas.registerSchema(topic, new SchemaIn().schema(Map.of("type", "object", "required", names)));
        Problem problem = assertProblem(
                422, "urn:herald:problem:schema-violation", () -> schemas.validatePayload(topic, "latest", json("{}")));
        assertEquals(100, problem.getErrors().size());
        assertTrue(problem.getDetail().contains("150 violations (the first 100 are listed)"), problem.getDetail());
    }

    @Test
    void softDeletedVersionsStayReadableButAreNotUsed() throws ApiException {
        schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_V1)));
        schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_V2)));

        schemas.deleteSchemaVersion(topic, "2");
        assertEquals(1, schemas.getSchemaVersion(topic, "latest").getVersion());
        SchemaVersionOut deleted = schemas.getSchemaVersion(topic, "2");
        assertTrue(deleted.getDeleted());
        assertEquals(
                List.of(1),
                schemas.listSchemaVersions(topic, null, null, null).getItems().stream()
                        .map(SchemaVersionOut::getVersion)
                        .toList());
        assertEquals(
                List.of(1, 2),
                schemas.listSchemaVersions(topic, null, null, true).getItems().stream()
                        .map(SchemaVersionOut::getVersion)
                        .toList());
        assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> schemas.validatePayload(topic, "2", json("{\"orderId\": \"o\", \"amount\": 1}")));
        assertProblem(404, "urn:herald:problem:not-found", () -> schemas.deleteSchemaVersion(topic, "2"));

        // Version numbers are never reused, and an identical schema after deletion is a new version.
        assertEquals(
                3,
                schemas.registerSchema(topic, new SchemaIn().schema(json(ORDER_V2)))
                        .getVersion());
    }

    @Test
    void listIsKeysetPaged() throws ApiException {
        topics.updateTopic(topic, new TopicPatch().compatibility(CompatibilityMode.NONE));
        for (int i = 0; i < 5; i++) {
            schemas.registerSchema(topic, new SchemaIn().schema(Map.of("type", "object", "title", "v" + i)));
        }
        var page = schemas.listSchemaVersions(topic, null, 2, null);
        assertEquals(
                List.of(1, 2),
                page.getItems().stream().map(SchemaVersionOut::getVersion).toList());
        page = schemas.listSchemaVersions(topic, page.getNext(), 2, null);
        assertEquals(
                List.of(3, 4),
                page.getItems().stream().map(SchemaVersionOut::getVersion).toList());
        page = schemas.listSchemaVersions(topic, page.getNext(), 2, null);
        assertEquals(
                List.of(5),
                page.getItems().stream().map(SchemaVersionOut::getVersion).toList());
        assertNull(page.getNext());
    }

    @Test
    void unknownTopicOrVersion() {
        assertProblem(
                404,
                "urn:herald:problem:not-found",
                () -> schemas.registerSchema("no.such.topic", new SchemaIn().schema(Map.of())));
        assertProblem(404, "urn:herald:problem:not-found", () -> schemas.getSchemaVersion(topic, "latest"));
        assertProblem(404, "urn:herald:problem:not-found", () -> schemas.getSchemaVersion(topic, "3"));
        assertProblem(422, "urn:herald:problem:validation-failed", () -> schemas.getSchemaVersion(topic, "three"));
    }
}
