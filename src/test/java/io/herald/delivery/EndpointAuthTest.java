package io.herald.delivery;

import static io.herald.testing.HeraldApi.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.client.ApiException;
import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryDetail;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.Problem;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.SubscriptionPatch;
import io.herald.client.model.WebhookAuthIn;
import io.herald.client.model.WebhookIn;
import io.herald.client.model.WebhookTlsIn;
import io.herald.testing.DeliveryChecks;
import io.herald.testing.WebhookReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhook endpoints that ask for more than a signature, against real receivers: HTTP Basic and a bearer token checked by
 * the receiver, mutual TLS against an HTTPS server that requires a client certificate signed for it, and the secrets'
 * storage (encrypted, never returned). OAuth2 client credentials against Keycloak: {@link OAuth2EndpointTest}.
 */
@QuarkusTest
@Tag("external")
class EndpointAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Vertx vertx;

    WebhookReceiver receiver;
    DeliveryChecks checks;
    SubscriptionsApi subscriptions;
    DeliveriesApi deliveries;
    String topic;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        checks = DeliveryChecks.onNewTopic(base, "auth");
        subscriptions = checks.subscriptions;
        deliveries = checks.deliveries;
        topic = checks.topic;
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private SubscriptionOut webhook(String url, WebhookAuthIn auth, WebhookTlsIn tls) throws ApiException {
        return subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(url))
                        .retrySchedule(List.of("PT0S", "PT0.3S"))
                        .auth(auth)
                        .tls(tls)));
    }

    private String storedColumns(String subscriptionId) throws Exception {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "select coalesce(webhook_auth::text, '') || ' ' || coalesce(webhook_credentials, '') "
                                + "from subscriptions where id = ?")) {
            statement.setString(1, subscriptionId);
            try (var rs = statement.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void basicCredentialsReachTheEndpointAndTheSecretIsNeverShownNorStoredInClear() throws Exception {
        String password = "pa55-" + UUID.randomUUID();
        SubscriptionOut subscription = webhook(
                receiver.url("/basic"),
                new WebhookAuthIn()
                        .type(WebhookAuthIn.TypeEnum.BASIC)
                        .username("herald")
                        .password(password),
                null);
        String id = checks.publish("{\"n\": 1}");
        checks.awaitState(id, DeliveryState.DELIVERED);

        String expected =
                "Basic " + Base64.getEncoder().encodeToString(("herald:" + password).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, receiver.requests("/basic").get(0).header("Authorization"));

        String shown = given().get("/api/v1/subscriptions/" + subscription.getId())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode auth = JSON.readTree(shown).path("webhook").path("auth");
        assertEquals("basic", auth.path("type").asText());
        assertEquals("herald", auth.path("username").asText());
        assertFalse(shown.contains(password), "the password is never returned: " + shown);
        assertFalse(
                given().get("/api/v1/subscriptions").then().extract().asString().contains(password));
        String stored = storedColumns(subscription.getId());
        assertFalse(stored.contains(password), "stored encrypted");
        assertTrue(stored.contains(" v1:"), stored);
    }

    @Test
    void aBearerTokenIsSentAndCanBeReplacedOrRemoved() throws Exception {
        SubscriptionOut subscription = webhook(
                receiver.url("/bearer"),
                new WebhookAuthIn().type(WebhookAuthIn.TypeEnum.BEARER).token("tok-1"),
                null);
        checks.awaitState(checks.publish("{\"n\": 1}"), DeliveryState.DELIVERED);
        assertEquals("Bearer tok-1", receiver.requests("/bearer").get(0).header("Authorization"));

        subscriptions.updateSubscription(
                subscription.getId(),
                new SubscriptionPatch()
                        .webhook(new WebhookIn().auth(new WebhookAuthIn().type(WebhookAuthIn.TypeEnum.NONE))));
        assertEquals(
                null,
                subscriptions.getSubscription(subscription.getId()).getWebhook().getAuth());
        Thread.sleep(1500); // lanes re-read their subscription within a second
        checks.awaitState(checks.publish("{\"n\": 2}"), DeliveryState.DELIVERED);
        assertEquals(null, receiver.requests("/bearer").get(1).header("Authorization"));
        assertEquals(" ", storedColumns(subscription.getId()), "nothing left stored");
    }

    @Test
    void incompleteOrUnsafeCredentialsAreRefusedNamingTheField() {
        Problem missing = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> webhook(
                        receiver.url("/never"),
                        new WebhookAuthIn()
                                .type(WebhookAuthIn.TypeEnum.OAUTH2)
                                .tokenUrl(URI.create("http://127.0.0.1:1/token"))
                                .clientId("c"),
                        null));
        assertEquals("/webhook/auth/clientSecret", missing.getErrors().get(0).getPointer());
        Problem internal = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> webhook(
                        receiver.url("/never"),
                        new WebhookAuthIn()
                                .type(WebhookAuthIn.TypeEnum.OAUTH2)
                                .tokenUrl(URI.create("http://169.254.169.254/token"))
                                .clientId("c")
                                .clientSecret("s"),
                        null));
        assertEquals("/webhook/auth/tokenUrl", internal.getErrors().get(0).getPointer());
        Problem both = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.createSubscription(new SubscriptionIn()
                        .topic(topic)
                        .kind(SubscriptionIn.KindEnum.WEBHOOK)
                        .webhook(new WebhookIn()
                                .url(URI.create(receiver.url("/never")))
                                .headers(Map.of("Authorization", "Bearer x"))
                                .auth(new WebhookAuthIn()
                                        .type(WebhookAuthIn.TypeEnum.BEARER)
                                        .token("y")))));
        assertEquals("/webhook/headers/Authorization", both.getErrors().get(0).getPointer());
        Problem keyOnly = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> webhook(
                        "https://127.0.0.1:1/never",
                        null,
                        new WebhookTlsIn().clientKey("-----BEGIN PRIVATE KEY-----")));
        assertEquals(
                "/webhook/tls/clientCertificate", keyOnly.getErrors().get(0).getPointer());
        Problem notPem = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> webhook(
                        "https://127.0.0.1:1/never", null, new WebhookTlsIn().caCertificates("not a certificate")));
        assertEquals("/webhook/tls/caCertificates", notPem.getErrors().get(0).getPointer());
    }

    @Test
    void mutualTlsPresentsTheClientCertificateToAServerThatRequiresIt() throws Exception {
        SelfSignedCertificate server = SelfSignedCertificate.create("localhost");
        SelfSignedCertificate client = SelfSignedCertificate.create("herald-client");
        String serverCert = Files.readString(Path.of(server.certificatePath()));
        String clientCert = Files.readString(Path.of(client.certificatePath()));
        String clientKey = Files.readString(Path.of(client.privateKeyPath()));
        List<String> peers = new CopyOnWriteArrayList<>();
        HttpServer https = vertx.createHttpServer(new HttpServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(server.keyCertOptions())
                        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCert)))
                        .setClientAuth(ClientAuth.REQUIRED))
                .requestHandler(request -> {
                    try {
                        peers.add(((X509Certificate)
                                        request.connection().peerCertificates().get(0))
                                .getSubjectX500Principal()
                                .getName());
                    } catch (Exception e) {
                        peers.add("none: " + e);
                    }
                    request.response().setStatusCode(200).end("{}");
                });
        https.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String url = "https://localhost:" + https.actualPort() + "/mtls";
        try {
            SubscriptionOut withCertificate = webhook(
                    url,
                    null,
                    new WebhookTlsIn()
                            .clientCertificate(clientCert)
                            .clientKey(clientKey)
                            .caCertificates(serverCert));
            assertNotNull(withCertificate.getWebhook().getTls().getClientCertificateExpiresAt());
            assertEquals(clientCert, withCertificate.getWebhook().getTls().getClientCertificate());
            String shown = given().get("/api/v1/subscriptions/" + withCertificate.getId())
                    .then()
                    .extract()
                    .asString();
            assertFalse(shown.contains("PRIVATE KEY"), "the key is never returned");
            assertFalse(storedColumns(withCertificate.getId()).contains("PRIVATE KEY"), "the key is stored encrypted");

            String id = checks.publish("{\"n\": 1}");
            checks.awaitState(id, DeliveryState.DELIVERED);
            assertEquals(List.of("CN=herald-client"), peers, "the server saw Herald's client certificate");

            // The same server without a client certificate (trusting its CA only): the handshake fails, and retries end
            // exhausted, each attempt recorded as a TLS or connection failure.
            subscriptions.deleteSubscription(withCertificate.getId(), true);
            webhook(url, null, new WebhookTlsIn().caCertificates(serverCert));
            String refused = checks.publish("{\"n\": 2}");
            DeliveryDetail exhausted = checks.awaitState(refused, DeliveryState.EXHAUSTED);
            Attempt attempt = deliveries
                    .listDeliveryAttempts(exhausted.getId())
                    .getItems()
                    .get(0);
            assertTrue(
                    attempt.getErrorClass() == Attempt.ErrorClassEnum.TLS
                            || attempt.getErrorClass() == Attempt.ErrorClassEnum.CONNECTION,
                    attempt.getErrorClass() + ": " + attempt.getError());
            assertEquals(1, peers.size(), "nothing got through without the certificate");
        } finally {
            https.close();
            server.delete();
            client.delete();
        }
    }
}
