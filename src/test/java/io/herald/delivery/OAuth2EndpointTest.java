package io.herald.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiException;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryDetail;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.WebhookAuthIn;
import io.herald.client.model.WebhookIn;
import io.herald.testing.DeliveryChecks;
import io.herald.testing.WebhookReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * OAuth2 client credentials against a real Keycloak (HERALD_IT_KEYCLOAK_URL; .ci/run starts it): Herald fetches a token
 * for a confidential client of a realm provisioned here, the receiver asks Keycloak whether the token it got is active
 * and whose it is, the token is shared by later deliveries, and a 401 from the endpoint gets a new one.
 */
@QuarkusTest
@Tag("external")
@EnabledIfEnvironmentVariable(named = "HERALD_IT_KEYCLOAK_URL", matches = ".+")
class OAuth2EndpointTest {
    private static final String REALM = "herald-webhooks-it";
    private static final String CLIENT = "herald-deliveries";
    private static final String SECRET = "herald-deliveries-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    WebhookReceiver receiver;
    DeliveryChecks checks;

    private static String keycloak() {
        return System.getenv("HERALD_IT_KEYCLOAK_URL");
    }

    private static String tokenUrl() {
        return keycloak() + "/realms/" + REALM + "/protocol/openid-connect/token";
    }

    @BeforeAll
    static void realm() throws Exception {
        String admin = JSON.readTree(post(
                                keycloak() + "/realms/master/protocol/openid-connect/token",
                                null,
                                "grant_type=password&client_id=admin-cli&username=admin&password=admin")
                        .body())
                .get("access_token")
                .asText();
        HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak() + "/admin/realms/" + REALM))
                        .header("Authorization", "Bearer " + admin)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak() + "/admin/realms"))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"realm": "%s", "enabled": true, "clients": [
                                  {"clientId": "%s", "secret": "%s", "publicClient": false, "serviceAccountsEnabled": true,
                                   "standardFlowEnabled": false, "directAccessGrantsEnabled": false}]}""".formatted(REALM, CLIENT, SECRET)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static HttpResponse<String> post(String url, String basic, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basic != null) {
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Keycloak's own answer about a token (RFC 7662 introspection), asked as the client itself. */
    private static JsonNode introspect(String token) throws Exception {
        return JSON.readTree(post(
                        tokenUrl() + "/introspect",
                        CLIENT + ":" + SECRET,
                        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .body());
    }

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        checks = DeliveryChecks.onNewTopic(base, "oauth");
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private void subscribe(String path, String clientSecret) throws ApiException {
        checks.subscriptions.createSubscription(new SubscriptionIn()
                .topic(checks.topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url(path)))
                        .retrySchedule(List.of("PT0S", "PT0.3S"))
                        .auth(new WebhookAuthIn()
                                .type(WebhookAuthIn.TypeEnum.OAUTH2)
                                .tokenUrl(URI.create(tokenUrl()))
                                .clientId(CLIENT)
                                .clientSecret(clientSecret))));
    }

    private static String bearer(WebhookReceiver.Request request) {
        String header = request.header("Authorization");
        assertTrue(header != null && header.startsWith("Bearer "), String.valueOf(header));
        return header.substring("Bearer ".length());
    }

    @Test
    void theEndpointGetsAKeycloakTokenOfTheClientSharedByLaterDeliveries() throws Exception {
        subscribe("/oauth", SECRET);
        checks.awaitState(checks.publish("{\"n\": 1}"), DeliveryState.DELIVERED);
        checks.awaitState(checks.publish("{\"n\": 2}"), DeliveryState.DELIVERED);

        String first = bearer(receiver.requests("/oauth").get(0));
        JsonNode verdict = introspect(first);
        assertTrue(verdict.path("active").asBoolean(), verdict.toString());
        assertEquals(
                CLIENT, verdict.path("client_id").asText(verdict.path("azp").asText()), verdict.toString());
        assertEquals(first, bearer(receiver.requests("/oauth").get(1)), "one token until it nears expiry");
    }

    @Test
    void aTokenTheEndpointRefusesIsReplacedWithinTheSameAttempt() throws Exception {
        receiver.script("/renew", WebhookReceiver.Answer.status(401));
        subscribe("/renew", SECRET);
        DeliveryDetail delivered = checks.awaitState(checks.publish("{\"n\": 1}"), DeliveryState.DELIVERED);

        assertEquals(1, delivered.getAttempts(), "one attempt: the 401 asked for a new token, not a retry");
        List<WebhookReceiver.Request> requests = receiver.requests("/renew");
        assertEquals(2, requests.size());
        assertNotEquals(bearer(requests.get(0)), bearer(requests.get(1)), "a new token after the 401");
        assertTrue(introspect(bearer(requests.get(1))).path("active").asBoolean());
    }

    @Test
    void aClientKeycloakRefusesFailsTheAttemptAsAuthentication() throws Exception {
        subscribe("/refused", "not-the-secret");
        DeliveryDetail exhausted = checks.awaitState(checks.publish("{\"n\": 1}"), DeliveryState.EXHAUSTED);

        Attempt attempt = checks.deliveries
                .listDeliveryAttempts(exhausted.getId())
                .getItems()
                .get(0);
        assertEquals(Attempt.ErrorClassEnum.AUTHENTICATION, attempt.getErrorClass());
        assertTrue(attempt.getError().contains("HTTP 401"), attempt.getError());
        assertTrue(receiver.requests("/refused").isEmpty(), "nothing sent without a token");
    }
}
