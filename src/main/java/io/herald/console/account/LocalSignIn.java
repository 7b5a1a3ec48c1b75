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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Checks a local account's password (bcrypt) for the console's sign-in form, and stands behind the session cookie.
 *
 * <p>A session names the account's session epoch; signing out moves the epoch on, so the cookie, and any copy of it,
 * stops working on every instance. Guessing is slowed without letting a stranger lock the account: after
 * {@link #MAX_FAILURES} wrong passwords a user name is refused for {@link #LOCKOUT} to browsers it has never signed in
 * from, while a browser that holds the user's device cookie (set at each successful sign-in, signed with the session
 * key) keeps its own count, which only its own failures raise (OWASP's device cookies). Behind a reverse proxy every
 * stranger shares an address, so the client address cannot be the key.
 */
@ApplicationScoped
public class LocalSignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private static final Logger LOG = Logger.getLogger(LocalSignIn.class);
    static final int MAX_FAILURES = 10;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    /** Checked when the user does not exist, so an unknown name costs the same time as a wrong password. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("herald-no-such-user");

    /** Identity attribute with the user name, which the principal's name prefixes with the session epoch. */
    static final String USERNAME = "herald.username";

    private final Cache<String, AtomicInteger> failures =
            Caffeine.newBuilder().expireAfterWrite(LOCKOUT).maximumSize(100_000).build();
    private final ConsoleAccounts accounts;
    private final DeviceCookies devices;

    LocalSignIn(ConsoleAccounts accounts, DeviceCookies devices) {
        this.accounts = accounts;
        this.devices = devices;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> check(request));
    }

    private SecurityIdentity check(UsernamePasswordAuthenticationRequest request) {
        String username = request.getUsername();
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        String device = devices.trusted(routing, username);
        String key = device != null ? "device|" + device : "user|" + username;
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
                LOG.warnf(
                        "Console sign-in for '%s' refused for %s after %d failures (%s)",
                        username,
                        LOCKOUT,
                        MAX_FAILURES,
                        device != null ? "from one of its browsers" : "from browsers it has not signed in from");
            }
            throw new AuthenticationFailedException("wrong user name or password");
        }
        failures.invalidate(key);
        devices.remember(routing, account.username);
        return identity(account);
    }

    /** The principal's name is the session's epoch and the user name: the cookie keeps it, {@link Session} checks it. */
    static SecurityIdentity identity(ConsoleAccount account) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.sessionEpoch + ":" + account.username))
                .addAttribute(USERNAME, account.username)
                .addRole(account.role)
                .build();
    }

    /** The user name of a console identity (local or OIDC). */
    public static String username(SecurityIdentity identity) {
        String local = identity.getAttribute(USERNAME);
        return local != null ? local : identity.getPrincipal().getName();
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
        public Uni<SecurityIdentity> authenticate(
                TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                String principal = request.getPrincipal();
                int colon = principal.indexOf(':');
                ConsoleAccount account = colon < 0 ? null : accounts.find(principal.substring(colon + 1));
                if (account == null) {
                    throw new AuthenticationFailedException("the account no longer exists");
                }
                if (!principal.substring(0, colon).equals(Long.toString(account.sessionEpoch))) {
                    throw new AuthenticationFailedException(
                            "the session was ended (signed out, or the password changed)");
                }
                return identity(account);
            });
        }
    }
}
