package io.herald.topic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Requests no generated client would send: broken JSON, wrong shapes and media types. Each gets problem+json. */
@QuarkusTest
class TopicRefusalsTest {

    @Test
    void malformedJsonSaysWhere() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"order.placed\",\n \"owner\": }")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:herald:problem:malformed-request"))
                .body("detail", containsString("line 2"));
    }

    @Test
    void unknownPropertyIsNamedWithItsPointer() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"order.placed\", \"retentionDays\": 3}")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/retentionDays"))
                .body("detail", containsString("retentionDays"));
    }

    @Test
    void wrongTypeIsNamedWithItsPointer() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": [\"order\"]}")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/name"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"order.x\", \"compatibility\": \"SIDEWAYS\"}")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .body("errors.pointer", hasItem("/compatibility"))
                .body("detail", containsString("BACKWARD"));
    }

    @Test
    void missingBodyIsRefused() {
        given().contentType(ContentType.JSON)
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("body"));
    }

    @Test
    void unsupportedContentType() {
        given().contentType(ContentType.TEXT)
                .body("order.placed")
                .post("/api/v1/topics")
                .then()
                .statusCode(415)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:herald:problem:unsupported-media-type"));
    }

    @Test
    void unsupportedMethod() {
        given().put("/api/v1/topics").then().statusCode(405).contentType(startsWith("application/problem+json"));
    }

    @Test
    void nothingLeaksAStackTrace() {
        given().contentType(ContentType.JSON)
                .body("[1,2,3]")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errorId", nullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("at io.")));
    }
}
