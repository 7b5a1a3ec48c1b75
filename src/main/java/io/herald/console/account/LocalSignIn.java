package io.herald.console.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a local account's password (bcrypt) for the console's sign-in form. Repeated failures for one user name from
 * one address are refused for a while without checking, so a password cannot be guessed at speed, while the same
 * user signing in from elsewhere is not locked out by someone else's guessing.
 */
@ApplicationScoped
public class LocalSignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private static final Logger LOG = Logger.getLogger(LocalSignIn.class);
    static final int MAX_FAILURES = 10;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    /** Checked when the user does not exist, so an unknown name costs the same time as a wrong password. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("herald-no-such-user");

    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().expireAfterWrite(LOCKOUT).maximumSize(100_000).build();
    private final ConsoleAccounts accounts;

    LocalSignIn(ConsoleAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> check(request));
    }

    private SecurityIdentity check(UsernamePasswordAuthenticationRequest request) {
        String username = request.getUsername();
        String key = username + "|" + clientAddress(request);
        AtomicInteger failed = failures.getIfPresent(key);
        if (failed != null && failed.get() >= MAX_FAILURES) {
            throw new AuthenticationFailedException("too many failed sign-ins");
        }
        ConsoleAccount account = accounts.find(username);
        String password = new String(request.getPassword().getPassword());
        boolean matches = BcryptUtil.matches(password, account == null ? DUMMY_HASH : account.passwordHash);
        if (account == null || !matches) {
            int count = failures.get(key, k -> new AtomicInteger()).incrementAndGet();
            if (count == MAX_FAILURES) {
                LOG.warnf("Console sign-in for '%s' from %s refused for %s after %d failures", username, clientAddress(request),
                        LOCKOUT, MAX_FAILURES);
            }
            throw new AuthenticationFailedException("wrong user name or password");
        }
        failures.invalidate(key);
        return identity(account);
    }

    static SecurityIdentity identity(ConsoleAccount account) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(account.username)).addRole(account.role).build();
    }

    /**
     * The session cookie names a user it already authenticated; the account is read again on every request, so a
     * deleted account or a changed role takes effect at once.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        private final ConsoleAccounts accounts;

        Session(ConsoleAccounts accounts) {
            this.accounts = accounts;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                ConsoleAccount account = accounts.find(request.getPrincipal());
                if (account == null) {
                    throw new AuthenticationFailedException("the account no longer exists");
                }
                return identity(account);
            });
        }
    }

    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        return routing == null || routing.request().remoteAddress() == null ? "unknown" : routing.request().remoteAddress().hostAddress();
    }
}
