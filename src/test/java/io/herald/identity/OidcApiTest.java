package io.herald.identity;

import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Bearer tokens from a real Keycloak: a service account publishes; a viewer reads but cannot create a topic. */
@QuarkusTest
@TestProfile(KeycloakRealm.Profile.class)
@Tag("keycloak")
@EnabledIfEnvironmentVariable(named = "HERALD_IT_KEYCLOAK_URL", matches = ".+")
class OidcApiTest {

    @Test
    void aClientCredentialsTokenPublishes() {
        String topic = "oidc.orders-" + UUID.randomUUID().toString().substring(0, 8);
        RestAssured.given()
                .contentType("application/json")
                .body("{\"name\": \"" + topic + "\"}")
                .post("/api/v1/topics")
                .then()
                .statusCode(201);
        String token = KeycloakRealm.serviceToken("herald-publisher");
        RestAssured.given()
                .header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("{\"orderId\": \"o-1\"}")
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202);
        // A publisher may publish, not read or change.
        RestAssured.given()
                .header("Authorization", "Bearer " + token)
                .get("/api/v1/topics")
                .then()
                .statusCode(403);
    }

    @Test
    void aViewersTokenReadsButCannotCreateATopic() {
        String token = KeycloakRealm.serviceToken("herald-viewer");
        RestAssured.given()
                .header("Authorization", "Bearer " + token)
                .get("/api/v1/topics")
                .then()
                .statusCode(200);
        RestAssured.given()
                .header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("{\"name\": \"oidc.viewer-made\"}")
                .post("/api/v1/topics")
                .then()
                .statusCode(403)
                .contentType(containsString("application/problem+json"));
    }

    @Test
    void aForgedTokenIsRefused() {
        String token = KeycloakRealm.serviceToken("herald-viewer");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        RestAssured.given()
                .header("Authorization", "Bearer " + forged)
                .get("/api/v1/topics")
                .then()
                .statusCode(401);
    }
}
