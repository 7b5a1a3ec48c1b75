package io.herald.identity;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API keys as producers use them: created by an admin, shown once, scoped, revocable, expiring. */
@QuarkusTest
class ApiKeyTest {

    private static String topic(String prefix) {
        String name = prefix + "." + UUID.randomUUID().toString().substring(0, 8);
        RestAssured.given()
                .contentType("application/json")
                .body("{\"name\": \"" + name + "\"}")
                .post("/api/v1/topics")
                .then()
                .statusCode(201);
        return name;
    }

    private static io.restassured.response.ValidatableResponse create(String body) {
        return RestAssured.given()
                .contentType("application/json")
                .body(body)
                .post("/api/v1/api-keys")
                .then();
    }

    private static int publish(String topic, String header, String value) {
        return RestAssured.given()
                .header(header, value)
                .contentType("application/json")
                .body("{\"n\": 1}")
                .post("/api/v1/topics/" + topic + "/events")
                .statusCode();
    }

    @Test
    void aScopedKeyPublishesOnlyWhereItsPatternsAllow() {
        String orders = topic("orders");
        String billing = topic("billing");
        String key = create("{\"name\": \"shop backend\", \"topicPatterns\": [\"orders.*\"]}")
                .statusCode(201)
                .body("key", matchesPattern("hk_[a-z0-9]{8}_[A-Za-z0-9]{32}"))
                .body("prefix", notNullValue())
                .body("state", equalTo("active"))
                .extract()
                .path("key");
        String id = RestAssured.given()
                .get("/api/v1/api-keys")
                .then()
                .statusCode(200)
                .extract()
                .path("items.find { it.name == 'shop backend' }.id");

        assertEquals(202, publish(orders, "X-API-Key", key));
        assertEquals(202, publish(orders, "Authorization", "Bearer " + key));
        RestAssured.given()
                .header("X-API-Key", key)
                .contentType("application/json")
                .body("{\"n\": 1}")
                .post("/api/v1/topics/" + billing + "/events")
                .then()
                .statusCode(403)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("orders.*"));
        RestAssured.given()
                .header("X-API-Key", key)
                .get("/api/v1/topics")
                .then()
                .statusCode(403); // publishing only

        // The key is never shown again; its last use is recorded.
        RestAssured.given()
                .get("/api/v1/api-keys/" + id)
                .then()
                .statusCode(200)
                .body("key", nullValue())
                .body("lastUsedAt", notNullValue());
        assertFalse(RestAssured.given().get("/api/v1/api-keys").asString().contains(key));
    }

    @Test
    void aRevokedKeyFailsAtOnce() {
        String orders = topic("orders");
        var created = create("{\"name\": \"to revoke\", \"role\": \"publisher\"}")
                .statusCode(201)
                .extract();
        String key = created.path("key");
        String id = created.path("id");
        assertEquals(202, publish(orders, "X-API-Key", key));
        RestAssured.given()
                .delete("/api/v1/api-keys/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("revoked"));
        RestAssured.given()
                .header("X-API-Key", key)
                .contentType("application/json")
                .body("{\"n\": 2}")
                .post("/api/v1/topics/" + orders + "/events")
                .then()
                .statusCode(401)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("revoked"));
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** Another instance revokes the key: its NOTIFY makes this instance drop the key it had verified and kept. */
    @Test
    void aKeyRevokedByAnotherInstanceFailsHereToo() throws Exception {
        String orders = topic("orders");
        var created = create("{\"name\": \"elsewhere\", \"role\": \"publisher\"}")
                .statusCode(201)
                .extract();
        String key = created.path("key");
        assertEquals(202, publish(orders, "X-API-Key", key));
        assertEquals(202, publish(orders, "X-API-Key", key)); // now known to this instance
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "update api_keys set revoked_at = now() where id = ?; select pg_notify('herald_api_keys', ?)")) {
            statement.setString(1, created.path("id"));
            statement.setString(2, created.path("id"));
            statement.execute();
        }
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> publish(orders, "X-API-Key", key) == 401);
    }

    @Test
    void anExpiredKeyFails() {
        String orders = topic("orders");
        Instant soon = Instant.now().plusSeconds(2);
        String key = create("{\"name\": \"short-lived\", \"role\": \"publisher\", \"expiresAt\": \"" + soon + "\"}")
                .statusCode(201)
                .extract()
                .path("key");
        assertEquals(202, publish(orders, "X-API-Key", key));
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> publish(orders, "X-API-Key", key) == 401);
    }

    @Test
    void wrongAndMalformedKeysAreRefused() {
        String orders = topic("orders");
        assertEquals(401, publish(orders, "X-API-Key", "hk_abcdefgh_NotTheRightSecretAtAll0123456789"));
        assertEquals(401, publish(orders, "X-API-Key", "not-a-key"));
        String real = create("{\"name\": \"real\", \"role\": \"publisher\"}")
                .statusCode(201)
                .extract()
                .path("key");
        assertEquals(
                401,
                publish(orders, "X-API-Key", real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A")));
    }

    @Test
    void badRequestsNameTheField() {
        create("{\"name\": \"\"}")
                .statusCode(422)
                .body("errors.pointer", org.hamcrest.Matchers.hasItems("/name", "/role"));
        create("{\"name\": \"x\", \"role\": \"root\"}").statusCode(422).body("errors[0].pointer", equalTo("/role"));
        create("{\"name\": \"x\", \"topicPatterns\": [\"Orders!\"]}")
                .statusCode(422)
                .body("errors[0].pointer", equalTo("/topicPatterns/0"));
        create("{\"name\": \"x\", \"role\": \"viewer\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}")
                .statusCode(422)
                .body("errors[0].pointer", equalTo("/expiresAt"));
    }

    private static void assertEquals(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
