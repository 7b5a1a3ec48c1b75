package io.herald.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.store.NewEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One producer's bad input stays its own problem: it never fails, slows or corrupts what other producers see. */
@QuarkusTest
@Tag("external")
class HardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GroupCommitter committer;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    String topic;

    @BeforeEach
    void topic() {
        topic = "hardening.t" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + topic + "\"}")
                .post("/api/v1/topics")
                .then()
                .statusCode(201);
    }

    private String events() {
        return "/api/v1/topics/" + topic + "/events";
    }

    @Test
    void aRowTheDatabaseRefusesFailsOnlyItsOwnRequestNotItsGroup() throws Exception {
        // Validation refuses U+0000 now; this goes around it, straight to the group commit, as any input validation
        // misses would: the database refuses it, and only its own request may fail.
        List<CompletableFuture<List<GroupCommitter.Outcome>>> valid = new ArrayList<>();
        CompletableFuture<List<GroupCommitter.Outcome>> poison = null;
        for (int i = 0; i < 60; i++) {
            valid.add(committer.append(List.of(event("ok-" + i))));
            if (i == 30) {
                poison = committer.append(List.of(event("bad-\u0000-id")));
            }
        }
        for (CompletableFuture<List<GroupCommitter.Outcome>> request : valid) {
            assertEquals(
                    GroupCommitter.Status.ACCEPTED,
                    request.get(10, TimeUnit.SECONDS).get(0).status());
        }
        CompletableFuture<List<GroupCommitter.Outcome>> refused = poison;
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        ApiProblem problem = assertInstanceOf(ApiProblem.class, failure.getCause());
        assertEquals(ProblemType.VALIDATION_FAILED, problem.type());
    }

    private NewEvent event(String ceId) {
        String id = io.herald.platform.Ids.next("evt");
        return new NewEvent(
                id,
                topic,
                ceId + "-" + id,
                "/hardening",
                "t",
                null,
                null,
                "application/json",
                "{}",
                JSON.createObjectNode(),
                null,
                null,
                io.herald.platform.Hashing.sha256Hex("{}"));
    }

    @Test
    void poisonEventsAreRefusedAsTheClientsErrorWhileOthersPublish() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> valid = new ArrayList<>();
            List<Future<Response>> poison = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                valid.add(pool.submit(() -> given().contentType("application/cloudevents+json")
                        .body("{\"specversion\":\"1.0\",\"id\":\"v" + n
                                + "\",\"source\":\"/ok\",\"type\":\"t\",\"data\":{}}")
                        .post(events())
                        .statusCode()));
                if (i % 4 == 0) {
                    String[] poisons = {
                        "{\"specversion\":\"1.0\",\"id\":\"p\\u0000" + n + "\",\"source\":\"/p\",\"type\":\"t\"}",
                        "{\"specversion\":\"1.0\",\"id\":\"p" + n + "\",\"source\":\"/p\",\"type\":\"t\\u0000\"}",
                        "{\"specversion\":\"1.0\",\"id\":\"p" + n + "\",\"source\":\"/p\\u0000\",\"type\":\"t\"}",
                        "{\"specversion\":\"1.0\",\"id\":\"p" + n
                                + "\",\"source\":\"/p\",\"type\":\"t\",\"time\":\"+99999-01-01T00:00:00Z\"}",
                        "{\"specversion\":\"1.0\",\"id\":\"p" + n
                                + "\",\"source\":\"/p\",\"type\":\"t\",\"myext\":\"x\\u0000\"}"
                    };
                    String body = poisons[n / 4 % poisons.length];
                    poison.add(pool.submit(() -> given().contentType("application/cloudevents+json")
                            .body(body)
                            .post(events())
                            .andReturn()));
                }
            }
            for (Future<Integer> status : valid) {
                assertEquals(202, status.get(30, TimeUnit.SECONDS));
            }
            for (Future<Response> refused : poison) {
                Response response = refused.get(30, TimeUnit.SECONDS);
                assertEquals(422, response.statusCode(), response.asString());
                assertTrue(response.contentType().startsWith("application/problem+json"));
            }
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/v1/events?limit=500&topic=" + topic)
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.hasSize(80));
    }

    @Test
    void aBodyWithAByteOrderMarkReadsBackAloneAndInItsPage() {
        byte[] body = "\uFEFF{\"greeting\":\"hello\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String id = given().contentType(ContentType.JSON)
                .body(body)
                .post(events())
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        given().get("/api/v1/events/" + id).then().statusCode(200).body("data.greeting", equalTo("hello"));
        given().get("/api/v1/events?topic=" + topic)
                .then()
                .statusCode(200)
                .body("items.data.greeting", hasItem("hello"));
        given().accept("text/html").get("/console/events?topic=" + topic).then().statusCode(not(equalTo(400)));
    }

    @Test
    void dataAtTheDepthLimitReadsBackInAFullPageAndDeeperIsRefused() throws Exception {
        // 64 levels of objects; a top-level array would be a batch.
        String deepest = "{\"a\":".repeat(63) + "{}" + "}".repeat(63);
        String id = given().contentType(ContentType.JSON)
                .body(deepest)
                .post(events())
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String page = given().get("/api/v1/events?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(JSON.readTree(page).get("items").findValuesAsText("id").contains(id));
        assertEquals(
                JSON.readTree(deepest),
                JSON.readTree(given().get("/api/v1/events/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .get("data"));
        given().contentType(ContentType.JSON)
                .body("{\"a\":".repeat(64) + "{}" + "}".repeat(64))
                .post(events())
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("64"));
        given().contentType(ContentType.JSON)
                .body("{\"a\": 1e999999}")
                .post(events())
                .then()
                .statusCode(422)
                .body("errors.pointer", hasItem("/a"));
    }

    @Test
    void binaryModeKeepsEveryExtensionAndTheDataSchema() {
        String id = given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", "b1")
                .header("ce-source", "/s")
                .header("ce-type", "t")
                .header("ce-dataschema", "https://schemas.example/order")
                .header("ce-partitionkey", "customer-42")
                .body("{}")
                .post(events())
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        given().get("/api/v1/events/" + id)
                .then()
                .statusCode(200)
                .body("extensions.dataschema", equalTo("https://schemas.example/order"))
                .body("extensions.partitionkey", equalTo("customer-42"));
    }

    @Test
    void catastrophicPatternsCostMillisecondsAndNeverHoldUpLiveness() throws Exception {
        given().contentType(ContentType.JSON)
                .body(
                        "{\"schema\":{\"type\":\"object\",\"properties\":{"
                                + "\"a\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"},\"x\":{\"type\":\"string\",\"pattern\":\"(x+x+)+y\"}}}}")
                .post("/api/v1/topics/" + topic + "/schemas")
                .then()
                .statusCode(201);
        String evil = "{\"a\":\"" + "a".repeat(100_000) + "!\",\"x\":\"" + "x".repeat(100_000) + "\"}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> publishes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                publishes.add(pool.submit(() -> given().contentType(ContentType.JSON)
                        .body(evil)
                        .post(events())
                        .andReturn()));
            }
            long start = System.nanoTime();
            given().get("/q/health/live").then().statusCode(200);
            long live = System.nanoTime() - start;
            for (Future<Response> publish : publishes) {
                Response response = publish.get(30, TimeUnit.SECONDS);
                assertEquals(422, response.statusCode(), response.asString());
                assertTrue(response.time() < 2_000, response.time() + " ms");
            }
            assertTrue(live < 1_000_000_000L, "liveness took " + live / 1_000_000 + " ms");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void patternsThatNeedBacktrackingAndDeepSchemasAreRefusedAtRegistration() {
        given().contentType(ContentType.JSON)
                .body("{\"schema\":{\"type\":\"string\",\"pattern\":\"(?=a)b\"}}")
                .post("/api/v1/topics/" + topic + "/schemas")
                .then()
                .statusCode(422)
                .body("errors.pointer", hasItem("/schema/pattern"))
                .body("detail", containsString("lookarounds"));
        given().contentType(ContentType.JSON)
                .body("{\"schema\":{\"patternProperties\":{\"((a{1000}){1000}){1000}\":{}}}}")
                .post("/api/v1/topics/" + topic + "/schemas")
                .then()
                .statusCode(422)
                .body("errors.pointer", hasItem("/schema/patternProperties/((a{1000}){1000}){1000}"));
        String nested = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(450) + "{}" + "}}".repeat(450);
        given().contentType(ContentType.JSON)
                .body("{\"schema\":" + nested + "}")
                .post("/api/v1/topics/" + topic + "/schemas")
                .then()
                .statusCode(422)
                .body("detail", containsString("nested deeper"));
        given().get("/api/v1/topics/" + topic + "/schemas")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void aStoredSchemaWhosePatternHeraldNoLongerRunsRefusesEventsWithTheReason() throws Exception {
        // Registered before patterns were held to RE2 (an older Herald accepted any ECMA-262 pattern).
        try (var connection = dataSource.getConnection();
                var insert = connection.prepareStatement(
                        "insert into schema_versions "
                                + "(topic, version, dialect, schema_text, fingerprint, created_at) values (?, 1, 'DRAFT_2020_12', ?, 'legacy', now())")) {
            insert.setString(1, topic);
            insert.setString(
                    2, "{\"properties\":{\"a\":{\"pattern\":\"^(?=x)\",\"type\":\"string\"}},\"type\":\"object\"}");
            insert.executeUpdate();
        }
        given().contentType(ContentType.JSON)
                .body("{\"a\":\"x\"}")
                .post(events())
                .then()
                .statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("register a new version"));
        given().get("/api/v1/topics/" + topic + "/schemas/1").then().statusCode(200);
    }

    @Test
    void onlyHeraldWritesToItsSystemTopics() {
        String system = "herald.delivery.exhausted";
        given().contentType(ContentType.JSON)
                .body("{\"forged\":true}")
                .post("/api/v1/topics/" + system + "/events")
                .then()
                .statusCode(403)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON)
                .body("{\"description\":\"mine\"}")
                .patch("/api/v1/topics/" + system)
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body("{\"schema\":false}")
                .post("/api/v1/topics/" + system + "/schemas")
                .then()
                .statusCode(403);
        given().delete("/api/v1/topics/" + system).then().statusCode(403);
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"github\",\"topic\":\"" + system + "\"}")
                .post("/api/v1/sources")
                .then()
                .statusCode(422)
                .body("errors.pointer", hasItem("/topic"));
        given().get("/api/v1/topics/" + system).then().statusCode(200).body("description", not(equalTo("mine")));
    }
}
