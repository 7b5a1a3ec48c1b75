package io.herald.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * API keys on requests: {@code Authorization: Bearer hk_...} or {@code X-API-Key: hk_...}. Any other bearer token is
 * left to the OIDC mechanism. A key that does not verify is refused (401), never treated as anonymous.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
    public static final String HEADER = "X-API-Key";
    /** Identity attribute: the topic patterns a key may publish to (absent: as its role allows). */
    public static final String PUBLISH_PATTERNS = "herald.publish-patterns";

    public static final String KEY_ID = "herald.api-key-id";

    /** The presented key, as a request the provider below verifies. */
    public static final class ApiKeyRequest extends BaseAuthenticationRequest {
        final String key;

        ApiKeyRequest(String key) {
            this.key = key;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presented(context);
        if (key == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new ApiKeyRequest(key));
    }

    static String presented(RoutingContext context) {
        String header = context.request().getHeader(HEADER);
        if (header != null) {
            return header.trim();
        }
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer hk_", 0, 10)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    /** Before the console's form and OIDC: its challenge (401) is the one API callers get. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"herald\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<ApiKeyRequest> {
        private final ApiKeyService keys;

        Provider(ApiKeyService keys) {
            this.keys = keys;
        }

        @Override
        public Class<ApiKeyRequest> getRequestType() {
            return ApiKeyRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
            // A key verified before is answered on the event loop; only a database read goes to a worker.
            Optional<ApiKeyService.Verified> known = keys.verifiedWithoutWork(request.key);
            if (known.isPresent()) {
                return Uni.createFrom().item(identity(request.key, known.get()));
            }
            return context.runBlocking(() -> identity(
                    request.key,
                    keys.verify(request.key)
                            .orElseThrow(
                                    () -> new AuthenticationFailedException("unknown, revoked or expired API key"))));
        }

        private static SecurityIdentity identity(String presented, ApiKeyService.Verified key) {
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("api-key:" + key.name()))
                    .addCredential(new TokenCredential(presented, "api-key"))
                    .addAttribute(KEY_ID, key.id());
            if (key.role() != null) {
                identity.addRole(key.role());
            }
            if (!key.publishPatterns().isEmpty()) {
                identity.addRole(Role.PUBLISHER_NAME).addAttribute(PUBLISH_PATTERNS, key.publishPatterns());
            }
            return identity.build();
        }
    }
}
