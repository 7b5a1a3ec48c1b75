package io.herald.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("external")
class HealthAndMetricsTest {

    @Test
    void healthReportsTheDatabaseAndTheBrokerAndReadinessTheDatabase() {
        await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'broker' }.status", equalTo("UP"))
                        .body("checks.find { it.name.contains('Database') }.status", equalTo("UP")));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"))
                .body("checks.find { it.name == 'broker' }", equalTo(null));
    }

    @Test
    void prometheusMetricsAreServed() {
        given().get("/api/v1/topics").then().statusCode(200);
        given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds_count{"));
    }
}
