package io.herald.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.SecretBox;
import io.herald.platform.SsrfGuard;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.WebhookAuthIn;
import io.herald.routing.SubscriptionDtos.WebhookAuthOut;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import io.herald.routing.SubscriptionDtos.WebhookTlsIn;
import io.herald.routing.SubscriptionDtos.WebhookTlsOut;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Herald authenticates to a webhook endpoint besides signing (HTTP Basic, a static bearer token, OAuth2 client
 * credentials) and mutual TLS (a client certificate and the endpoint's own CA): checked when saved, the shown parts in
 * {@code webhook_auth}, every secret (password, token, client secret, private key) sealed by {@link SecretBox} into
 * {@code webhook_credentials}, bound to the subscription's id. Secrets are never returned after they are saved.
 */
@Singleton
public class WebhookCredentials {
    private static final Set<String> TYPES = Set.of("basic", "bearer", "oauth2", "none");
    private static final Set<String> SECRET_AUTH_FIELDS = Set.of("password", "token", "clientSecret");
    private static final int MAX_VALUE = 4096;
    private static final int MAX_PEM = 65_536;

    private final ObjectMapper json;
    private final SecretBox box;
    private final SsrfGuard ssrf;
    private final Vertx vertx;

    WebhookCredentials(ObjectMapper json, SecretBox box, SsrfGuard ssrf, Vertx vertx) {
        this.json = json;
        this.box = box;
        this.ssrf = ssrf;
        this.vertx = vertx;
    }

    /** A webhook's credentials as a request needs them; null parts are absent. */
    public record Resolved(
            String type,
            String username,
            String password,
            String token,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            String audience,
            String clientCertificate,
            String clientKey,
            String caCertificates) {
        public static final Resolved NONE =
                new Resolved(null, null, null, null, null, null, null, null, null, null, null, null);

        public boolean hasTls() {
            return clientCertificate != null || caCertificates != null;
        }
    }

    void check(WebhookIn webhook, String url, Violations violations) {
        WebhookAuthIn auth = webhook.auth();
        if (auth != null) {
            checkAuth(auth, violations);
            boolean authorizes = auth.type() != null && !"none".equals(auth.type());
            if (authorizes && webhook.headers() != null) {
                webhook.headers().keySet().stream()
                        .filter(name -> name.equalsIgnoreCase("authorization"))
                        .forEach(name -> violations.add(
                                "/webhook/headers/" + name, "is set by /webhook/auth: remove one of the two"));
            }
        }
        WebhookTlsIn tls = webhook.tls();
        if (tls != null && !empty(tls)) {
            checkTls(tls, violations);
            if (url != null && !url.toLowerCase(Locale.ROOT).startsWith("https:")) {
                violations.add("/webhook/tls", "needs an https URL");
            }
        }
    }

    private void checkAuth(WebhookAuthIn auth, Violations violations) {
        if (auth.type() == null || !TYPES.contains(auth.type())) {
            violations.add("/webhook/auth/type", "must be basic, bearer, oauth2 or none");
            return;
        }
        switch (auth.type()) {
            case "basic" -> {
                required(auth.username(), "/webhook/auth/username", violations);
                required(auth.password(), "/webhook/auth/password", violations);
                if (auth.username() != null && auth.username().contains(":")) {
                    violations.add("/webhook/auth/username", "must not contain ':' (RFC 7617)");
                }
            }
            case "bearer" -> {
                required(auth.token(), "/webhook/auth/token", violations);
                if (auth.token() != null && !auth.token().matches("[\\x21-\\x7e]+")) {
                    violations.add("/webhook/auth/token", "must be printable ASCII without spaces");
                }
            }
            case "oauth2" -> {
                required(auth.tokenUrl(), "/webhook/auth/tokenUrl", violations);
                required(auth.clientId(), "/webhook/auth/clientId", violations);
                required(auth.clientSecret(), "/webhook/auth/clientSecret", violations);
                if (auth.tokenUrl() != null) {
                    String problem = WebhookSettings.urlProblem(auth.tokenUrl());
                    if (problem == null) {
                        problem = ssrf.problem(auth.tokenUrl());
                    }
                    if (problem != null) {
                        violations.add("/webhook/auth/tokenUrl", problem);
                    }
                }
                optional(auth.scope(), "/webhook/auth/scope", violations);
                optional(auth.audience(), "/webhook/auth/audience", violations);
            }
            default -> {
                // none: removes what there was
            }
        }
    }

    private void checkTls(WebhookTlsIn tls, Violations violations) {
        boolean hasCertificate = !blank(tls.clientCertificate());
        boolean hasKey = !blank(tls.clientKey());
        if (hasCertificate != hasKey) {
            violations.add(
                    hasCertificate ? "/webhook/tls/clientKey" : "/webhook/tls/clientCertificate",
                    "is required with " + (hasCertificate ? "clientCertificate" : "clientKey"));
        }
        if (hasCertificate) {
            List<X509Certificate> chain =
                    certificates(tls.clientCertificate(), "/webhook/tls/clientCertificate", violations);
            if (!chain.isEmpty() && chain.get(0).getNotAfter().toInstant().isBefore(Instant.now())) {
                violations.add(
                        "/webhook/tls/clientCertificate",
                        "expired on " + chain.get(0).getNotAfter().toInstant());
            }
            if (hasKey && !chain.isEmpty()) {
                try {
                    new PemKeyCertOptions()
                            .setCertValue(Buffer.buffer(tls.clientCertificate()))
                            .setKeyValue(Buffer.buffer(tls.clientKey()))
                            .getKeyManagerFactory(vertx);
                } catch (Exception e) {
                    violations.add(
                            "/webhook/tls/clientKey",
                            "is not a PEM private key (PKCS#8, PKCS#1 or SEC1) for the certificate: " + e.getMessage());
                }
            }
        }
        if (!blank(tls.caCertificates())) {
            certificates(tls.caCertificates(), "/webhook/tls/caCertificates", violations);
        }
    }

    private static List<X509Certificate> certificates(String pem, String pointer, Violations violations) {
        if (pem.length() > MAX_PEM) {
            violations.add(pointer, "must be at most " + MAX_PEM + " characters");
            return List.of();
        }
        try {
            List<X509Certificate> found = new ArrayList<>();
            CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> found.add((X509Certificate) c));
            if (found.isEmpty()) {
                violations.add(pointer, "holds no PEM certificate");
            }
            return found;
        } catch (CertificateException e) {
            violations.add(pointer, "is not PEM X.509 certificates: " + e.getMessage());
            return List.of();
        }
    }

    /** Writes the webhook's auth and TLS settings (each replaces what there was when given). */
    void apply(Subscription subscription, WebhookIn webhook) {
        if (webhook.auth() == null && webhook.tls() == null) {
            return;
        }
        ObjectNode shown = subscription.webhookAuth == null
                ? json.createObjectNode()
                : (ObjectNode) tree(subscription.webhookAuth);
        ObjectNode secrets = json.createObjectNode();
        if (subscription.webhookCredentials != null) {
            try {
                secrets = (ObjectNode) tree(box.open(subscription.webhookCredentials, subscription.id));
            } catch (SecretBox.UnreadableSecret e) {
                // Saved under another key: what this change gives is saved; what it does not give is lost either way.
            }
        }
        WebhookAuthIn auth = webhook.auth();
        if (auth != null) {
            shown.remove("auth");
            SECRET_AUTH_FIELDS.forEach(secrets::remove);
            if (!"none".equals(auth.type())) {
                ObjectNode settings = shown.putObject("auth").put("type", auth.type());
                putIfPresent(settings, "username", auth.username());
                putIfPresent(settings, "tokenUrl", auth.tokenUrl());
                putIfPresent(settings, "clientId", auth.clientId());
                putIfPresent(settings, "scope", auth.scope());
                putIfPresent(settings, "audience", auth.audience());
                putIfPresent(secrets, "password", auth.password());
                putIfPresent(secrets, "token", auth.token());
                putIfPresent(secrets, "clientSecret", auth.clientSecret());
            }
        }
        WebhookTlsIn tls = webhook.tls();
        if (tls != null) {
            shown.remove("tls");
            secrets.remove("clientKey");
            if (!empty(tls)) {
                ObjectNode settings = shown.putObject("tls");
                putIfPresent(settings, "clientCertificate", blankToNull(tls.clientCertificate()));
                putIfPresent(settings, "caCertificates", blankToNull(tls.caCertificates()));
                putIfPresent(secrets, "clientKey", blankToNull(tls.clientKey()));
            }
        }
        subscription.webhookAuth = shown.isEmpty() ? null : shown.toString();
        subscription.webhookCredentials = secrets.isEmpty() ? null : box.seal(secrets.toString(), subscription.id);
    }

    WebhookAuthOut authOut(Subscription subscription) {
        JsonNode auth = subscription.webhookAuth == null
                ? null
                : tree(subscription.webhookAuth).get("auth");
        return auth == null
                ? null
                : new WebhookAuthOut(
                        text(auth, "type"),
                        text(auth, "username"),
                        text(auth, "tokenUrl"),
                        text(auth, "clientId"),
                        text(auth, "scope"),
                        text(auth, "audience"));
    }

    WebhookTlsOut tlsOut(Subscription subscription) {
        JsonNode tls = subscription.webhookAuth == null
                ? null
                : tree(subscription.webhookAuth).get("tls");
        if (tls == null) {
            return null;
        }
        String certificate = text(tls, "clientCertificate");
        Instant expires = null;
        if (certificate != null) {
            List<X509Certificate> chain = certificates(certificate, "", new Violations());
            expires = chain.isEmpty() ? null : chain.get(0).getNotAfter().toInstant();
        }
        return new WebhookTlsOut(certificate, expires, text(tls, "caCertificates"));
    }

    /** Everything a request needs, secrets decrypted; {@link SecretBox.UnreadableSecret} if they cannot be. */
    public Resolved resolve(Subscription subscription) {
        if (subscription.webhookAuth == null) {
            return Resolved.NONE;
        }
        JsonNode shown = tree(subscription.webhookAuth);
        JsonNode secrets = subscription.webhookCredentials == null
                ? json.createObjectNode()
                : tree(box.open(subscription.webhookCredentials, subscription.id));
        JsonNode auth = shown.path("auth");
        JsonNode tls = shown.path("tls");
        return new Resolved(
                text(auth, "type"),
                text(auth, "username"),
                text(secrets, "password"),
                text(secrets, "token"),
                text(auth, "tokenUrl"),
                text(auth, "clientId"),
                text(secrets, "clientSecret"),
                text(auth, "scope"),
                text(auth, "audience"),
                text(tls, "clientCertificate"),
                text(secrets, "clientKey"),
                text(tls, "caCertificates"));
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored webhook credentials are not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void required(String value, String pointer, Violations violations) {
        if (blank(value)) {
            violations.add(pointer, "is required");
        } else {
            optional(value, pointer, violations);
        }
    }

    private static void optional(String value, String pointer, Violations violations) {
        if (value != null && (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20))) {
            violations.add(pointer, "must be one line of at most " + MAX_VALUE + " characters");
        }
    }

    private static boolean empty(WebhookTlsIn tls) {
        return blank(tls.clientCertificate()) && blank(tls.clientKey()) && blank(tls.caCertificates());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return blank(value) ? null : value;
    }
}
