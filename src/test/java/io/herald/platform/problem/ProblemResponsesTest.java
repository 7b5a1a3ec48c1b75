package io.herald.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class ProblemResponsesTest {

    @Test
    void internalErrorSaysOnlyThatItFailedAndGivesTheLoggedId() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(ProblemTable.class.getName());
        logger.addHandler(capture);
        try {
            String errorId = given().get("/test-only/fail")
                    .then()
                    .statusCode(500)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("urn:herald:problem:internal-error"))
                    .body(not(containsString("hunter2")))
                    .body(not(containsString("IllegalStateException")))
                    .extract()
                    .path("errorId");
            assertTrue(errorId.startsWith("err_"), errorId);
            given().get("/test-only/fail").then().body("detail", containsString("err_"));
            assertTrue(
                    logged.stream().anyMatch(r -> r.getMessage().contains(errorId) && r.getThrown() != null),
                    "the log holds the error id with the stack trace");
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void unknownApiPathIsAProblemToo() {
        given().get("/api/v1/no-such-thing")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("/api/v1/no-such-thing"));
    }

    /** Whatever a client sends, the topics API answers with a 4xx problem, never a 500. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "null",
                "\"order.placed\"",
                "42",
                "{}",
                "{\"name\": null}",
                "{\"name\": 123}",
                "{\"name\": \"a\", \"retention\": 5}",
                "{\"name\": \"a\", \"retention\": \"\"}",
                "{\"name\": \"\"}",
                "{\"name\": {\"nested\": [1, {\"deep\": true}]}}",
                "{\"name\": \"a\", \"description\": 1e999}",
                "{\"name\": \"\\ud800\"}",
                "{\"name\": \"a\"} trailing",
                "[{\"name\": \"a\"}]",
                "{\"name\": \"a\",}",
                "\u0000",
                "{\"name\": \"a\", \"name\": \"b\"}"
            })
    void hostileBodiesGetAClientError(String body) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/topics")
                .then()
                .statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500)))
                .contentType(startsWith("application/problem+json"))
                .body("status", allOf(greaterThanOrEqualTo(400), lessThan(500)));
    }
}
