package io.herald.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenApiContractTest {

    @Test
    void servedDocumentIsTheContractFile() throws Exception {
        byte[] served = given().get("/openapi.yaml")
                .then()
                .statusCode(200)
                .contentType("application/yaml")
                .extract()
                .asByteArray();
        assertArrayEquals(Files.readAllBytes(Path.of("openapi.yaml")), served);
    }
}
