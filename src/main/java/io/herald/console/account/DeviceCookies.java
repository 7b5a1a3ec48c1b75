package io.herald.console.account;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The browsers a user has signed in from: a cookie holding the user name, a random device id and an HMAC of both under
 * the console's session key (so every instance sharing the key trusts it). Sign-in throttling counts a trusted
 * browser's failures apart from everyone else's (see {@link LocalSignIn}).
 */
@Singleton
public class DeviceCookies {
    static final String NAME = "herald-device";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    DeviceCookies(@ConfigProperty(name = "herald.session-key") Optional<String> sessionKey) {
        byte[] material = sessionKey
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    RANDOM.nextBytes(
                            random); // no shared key: devices are trusted until this process ends, like its sessions
                    return random;
                });
        this.key = new SecretKeySpec(material, "HmacSHA256");
    }

    /** The device id of a valid device cookie for this user in the request, or null. */
    String trusted(RoutingContext routing, String username) {
        Cookie cookie = routing == null ? null : routing.request().getCookie(NAME);
        if (cookie == null) {
            return null;
        }
        String[] parts = cookie.getValue().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        String user;
        try {
            user = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean valid = user.equals(username)
                && MessageDigest.isEqual(
                        sign(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        parts[2].getBytes(StandardCharsets.US_ASCII));
        return valid ? parts[1] : null;
    }

    /** Marks the browser of a successful sign-in as one of the user's (for a year, or until the session key changes). */
    void remember(RoutingContext routing, String username) {
        if (routing == null) {
            return;
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String payload =
                ENCODER.encodeToString(username.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(id);
        routing.response()
                .addCookie(Cookie.cookie(NAME, payload + "." + sign(payload))
                        .setPath("/console")
                        .setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT)
                        .setSecure(routing.request().isSSL())
                        .setMaxAge(365L * 24 * 3600));
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
