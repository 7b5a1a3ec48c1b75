package io.herald.identity;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A realm on a real Keycloak (HERALD_IT_KEYCLOAK_URL; .ci/run starts the Maven Central distribution), provisioned
 * through its admin REST API before Herald starts: realm roles admin/operator/publisher/viewer, a publisher and a
 * viewer service account (client credentials), the console's confidential client, and the user alice (operator).
 */
public class KeycloakRealm implements QuarkusTestResourceLifecycleManager {
    public static final String REALM = "herald-it";
    public static final String CONSOLE_SECRET = "console-secret-for-tests";
    public static final String USER = "alice";
    public static final String PASSWORD = "alice-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static String url() {
        return System.getenv("HERALD_IT_KEYCLOAK_URL");
    }

    public static String issuer() {
        return url() + "/realms/" + REALM;
    }

    /** Herald with OIDC on, pointed at the realm: a test profile of its own (one more application start). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakRealm.class));
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    @Override
    public Map<String, String> start() {
        if (url() == null) {
            return Map.of();
        }
        try {
            String admin = token(
                    url() + "/realms/master/protocol/openid-connect/token",
                    Map.of(
                            "grant_type",
                            "password",
                            "client_id",
                            "admin-cli",
                            "username",
                            System.getenv().getOrDefault("HERALD_IT_KEYCLOAK_ADMIN", "admin"),
                            "password",
                            System.getenv().getOrDefault("HERALD_IT_KEYCLOAK_ADMIN_PASSWORD", "admin")));
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + "/admin/realms/" + REALM))
                            .header("Authorization", "Bearer " + admin)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> created = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + "/admin/realms"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(realm()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException(
                        "Keycloak refused the test realm: " + created.statusCode() + " " + created.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak at " + url() + " is not reachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of(
                "herald.oidc.enabled",
                "true",
                "herald.oidc.issuer",
                issuer(),
                "herald.oidc.console-client-secret",
                CONSOLE_SECRET,
                "herald.console.auth-mechanism",
                "code");
    }

    @Override
    public void stop() {}

    /** A client-credentials token of one of the realm's service accounts. */
    public static String serviceToken(String clientId) {
        return token(
                issuer() + "/protocol/openid-connect/token",
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        clientId,
                        "client_secret",
                        clientId + "-secret"));
    }

    static String token(String endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(endpoint))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "No token from " + endpoint + ": " + response.statusCode() + " " + response.body());
            }
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body())
                    .get("access_token")
                    .asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String realm() {
        return """
                {"realm": "%s", "enabled": true,
                 "roles": {"realm": [{"name": "admin"}, {"name": "operator"}, {"name": "publisher"}, {"name": "viewer"}]},
                 "clients": [
                   {"clientId": "herald-publisher", "secret": "herald-publisher-secret", "publicClient": false,
                    "serviceAccountsEnabled": true, "standardFlowEnabled": false, "directAccessGrantsEnabled": false},
                   {"clientId": "herald-viewer", "secret": "herald-viewer-secret", "publicClient": false,
                    "serviceAccountsEnabled": true, "standardFlowEnabled": false, "directAccessGrantsEnabled": false},
                   {"clientId": "herald-console", "secret": "%s", "publicClient": false, "standardFlowEnabled": true,
                    "directAccessGrantsEnabled": false, "redirectUris": ["*"], "webOrigins": ["+"],
                    "attributes": {"post.logout.redirect.uris": "*"}}],
                 "users": [
                   {"username": "%s", "enabled": true, "email": "alice@example.com", "emailVerified": true, "firstName": "Alice",
                    "lastName": "Operator", "credentials": [{"type": "password", "value": "%s", "temporary": false}],
                    "realmRoles": ["operator"]},
                   {"username": "service-account-herald-publisher", "enabled": true, "serviceAccountClientId": "herald-publisher",
                    "realmRoles": ["publisher"]},
                   {"username": "service-account-herald-viewer", "enabled": true, "serviceAccountClientId": "herald-viewer",
                    "realmRoles": ["viewer"]}]}""".formatted(REALM, CONSOLE_SECRET, USER, PASSWORD);
    }
}
