package io.herald.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.testing.ApiKeyFilter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of openapi.yaml against the running application: anonymous -> 401, a key without the needed role
 * -> 403, a key with exactly that role -> neither. And the code's endpoints are the contract's, each with the role
 * the contract names: an endpoint added without a role, or without a contract entry, fails here.
 */
@QuarkusTest
class AccessControlTest {
    static final java.nio.file.Path CONTRACT = java.nio.file.Path.of("openapi.yaml");
    static final Map<String, String> LACKING =
            Map.of("viewer", "publisher", "publisher", "viewer", "operator", "viewer", "admin", "operator");
    static final Map<String, String> KEYS = new TreeMap<>();

    /** One operation of the contract and the least role it names (null: open, e.g. signature-verified). */
    record Operation(String method, String path, String role) {
        String url() {
            return path.replace("{topic}", "no.such-topic")
                    .replace("{name}", "no.such-topic")
                    .replace("{version}", "1")
                    .replace("{id}", "nope")
                    .replace("{sourceId}", "nope")
                    .replace("{replayId}", "nope");
        }
    }

    @BeforeEach
    void keys() {
        if (!KEYS.isEmpty()) {
            return;
        }
        for (String role : List.of("viewer", "publisher", "operator", "admin")) {
            KEYS.put(
                    role,
                    RestAssured.given()
                            .contentType("application/json")
                            .body("{\"name\": \"access-" + role + "\", \"role\": \"" + role + "\"}")
                            .post("/api/v1/api-keys")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("key"));
        }
    }

    static List<Operation> contract() throws IOException {
        JsonNode paths = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(CONTRACT))
                .get("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                JsonNode security = operation.get("security");
                assertTrue(
                        security != null,
                        method.toUpperCase() + " " + path.getKey() + " declares no security requirement");
                String role = security.isEmpty()
                        ? null
                        : security.get(0).elements().next().get(0).asText();
                operations.add(new Operation(method.toUpperCase(), path.getKey(), role));
            }
        }
        return operations;
    }

    private static Response call(Operation operation, String key) {
        RequestSpecification request = RestAssured.given().redirects().follow(false);
        request = key == null ? request.header(ApiKeyFilter.ANONYMOUS, "yes") : request.header("X-API-Key", key);
        if (!operation.method().equals("GET") && !operation.method().equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(operation.method(), operation.url());
    }

    @Test
    void everyOperationRefusesAnonymousAndTheWrongRoleAndAdmitsItsRole() throws IOException {
        List<Operation> operations = contract();
        assertTrue(operations.size() > 30, "the contract was read: " + operations.size());
        for (Operation operation : operations) {
            if (operation.role() == null) {
                continue;
            }
            String name = operation.method() + " " + operation.path();
            Response anonymous = call(operation, null);
            assertEquals(401, anonymous.statusCode(), name + " anonymous: " + anonymous.asString());
            assertTrue(anonymous.contentType().startsWith("application/problem+json"), name);
            assertTrue(anonymous.header("WWW-Authenticate").startsWith("Bearer"), name);
            Response lacking = call(operation, KEYS.get(LACKING.get(operation.role())));
            assertEquals(
                    403,
                    lacking.statusCode(),
                    name + " as " + LACKING.get(operation.role()) + ": " + lacking.asString());
            Response allowed = call(operation, KEYS.get(operation.role()));
            assertNotEquals(401, allowed.statusCode(), name + " as " + operation.role() + ": " + allowed.asString());
            assertNotEquals(403, allowed.statusCode(), name + " as " + operation.role() + ": " + allowed.asString());
        }
    }

    @Test
    void theCodesEndpointsAreTheContractsWithItsRoles() throws Exception {
        Map<String, String> contract = new TreeMap<>();
        for (Operation operation : contract()) {
            contract.put(
                    operation.method() + " " + operation.path(), operation.role() == null ? "open" : operation.role());
        }
        Map<String, String> code = new TreeMap<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/herald"))) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                Path base = type.getAnnotation(Path.class);
                if (base == null
                        || base.value().startsWith("/console")
                        || base.value().startsWith("/api/{path")
                        || base.value().startsWith("/bench")) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = httpMethod(method);
                    if (verb == null) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    String path = (base.value()
                                    + (sub == null ? "" : (sub.value().startsWith("/") ? "" : "/") + sub.value()))
                            .replaceAll("\\{([a-zA-Z]+)(:[^}]*)?}", "{$1}");
                    code.put(verb + " " + path, role(type, method));
                }
            }
        }
        code.remove("GET /openapi.yaml"); // the contract itself, open by design
        assertEquals(contract, code, "endpoints in the code and operations in openapi.yaml, with their roles");
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String role(Class<?> type, Method method) {
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class) != null
                ? method.getAnnotation(RolesAllowed.class)
                : type.getAnnotation(RolesAllowed.class);
        if (roles != null) {
            return String.join(",", roles.value());
        }
        return method.getAnnotation(PermitAll.class) != null || type.getAnnotation(PermitAll.class) != null
                ? "open"
                : "none";
    }
}
