package io.herald.ingest.source;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies an inbound webhook the way its provider documents it, over the raw bytes received, comparing in constant
 * time. Returns null when authentic, otherwise why not (said to the sender only as "signature invalid").
 * <ul>
 * <li>GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, key = the secret's UTF-8 bytes.</li>
 * <li>Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]}, HMAC-SHA256 of {@code t.body}, key = the
 *     secret string, timestamp within the tolerance.</li>
 * <li>Standard Webhooks: {@code webhook-signature: v1,<base64>} (space-separated list), HMAC-SHA256 of
 *     {@code webhook-id.webhook-timestamp.body}, key = base64 after {@code whsec_}, timestamp within the tolerance.</li>
 * <li>Generic HMAC: the configured header, SHA-256 or SHA-512, hex or base64, optional prefix.</li>
 * </ul>
 */
final class SignatureVerifier {
    private SignatureVerifier() {}

    static String problem(
            Source source, List<String> secrets, Function<String, String> header, byte[] body, Instant now) {
        return switch (source.kind) {
            case GITHUB -> github(secrets, header.apply("X-Hub-Signature-256"), body);
            case STRIPE -> stripe(secrets, header.apply("Stripe-Signature"), body, now, source.toleranceSeconds);
            case STANDARD_WEBHOOKS -> standardWebhooks(secrets, header, body, now, source.toleranceSeconds);
            case HMAC -> hmac(source, secrets, header.apply(source.hmacHeader), body);
        };
    }

    private static String github(List<String> secrets, String signature, byte[] body) {
        if (signature == null || !signature.startsWith("sha256=")) {
            return "missing or malformed X-Hub-Signature-256";
        }
        byte[] given = hex(signature.substring(7));
        for (String secret : secrets) {
            if (given != null
                    && MessageDigest.isEqual(given, mac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), body))) {
                return null;
            }
        }
        return "X-Hub-Signature-256 does not match";
    }

    private static String stripe(List<String> secrets, String header, byte[] body, Instant now, int tolerance) {
        if (header == null) {
            return "missing Stripe-Signature";
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                timestamp = pair[1];
            } else if (pair.length == 2 && pair[0].equals("v1")) {
                byte[] signature = hex(pair[1]);
                if (signature != null) {
                    signatures.add(signature);
                }
            }
        }
        String stale = staleness(timestamp, now, tolerance);
        if (stale != null || signatures.isEmpty()) {
            return stale != null ? stale : "no v1 signature in Stripe-Signature";
        }
        byte[] signed = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        for (String secret : secrets) {
            byte[] expected = mac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), signed);
            for (byte[] signature : signatures) {
                if (MessageDigest.isEqual(expected, signature)) {
                    return null;
                }
            }
        }
        return "Stripe-Signature does not match";
    }

    private static String standardWebhooks(
            List<String> secrets, Function<String, String> header, byte[] body, Instant now, int tolerance) {
        String id = header.apply("webhook-id");
        String timestamp = header.apply("webhook-timestamp");
        String signatures = header.apply("webhook-signature");
        if (id == null || signatures == null) {
            return "missing webhook-id or webhook-signature";
        }
        String stale = staleness(timestamp, now, tolerance);
        if (stale != null) {
            return stale;
        }
        byte[] signed = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        for (String secret : secrets) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
            } catch (IllegalArgumentException e) {
                continue;
            }
            byte[] expected = mac("HmacSHA256", key, signed);
            for (String entry : signatures.split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1") && MessageDigest.isEqual(expected, base64(parts[1]))) {
                    return null;
                }
            }
        }
        return "webhook-signature does not match";
    }

    private static String hmac(Source source, List<String> secrets, String value, byte[] body) {
        if (value == null) {
            return "missing " + source.hmacHeader;
        }
        String prefix = source.hmacPrefix == null ? "" : source.hmacPrefix;
        if (!value.startsWith(prefix)) {
            return source.hmacHeader + " does not start with " + prefix;
        }
        String encoded = value.substring(prefix.length()).trim();
        byte[] given = source.hmacEncoding == Source.Encoding.BASE64 ? base64(encoded) : hex(encoded);
        String algorithm = source.hmacAlgorithm == Source.Algorithm.SHA512 ? "HmacSHA512" : "HmacSHA256";
        for (String secret : secrets) {
            if (given != null
                    && MessageDigest.isEqual(given, mac(algorithm, secret.getBytes(StandardCharsets.UTF_8), body))) {
                return null;
            }
        }
        return source.hmacHeader + " does not match";
    }

    private static String staleness(String timestamp, Instant now, int tolerance) {
        if (timestamp == null) {
            return "missing timestamp";
        }
        try {
            long seconds = Long.parseLong(timestamp.trim());
            if (Math.abs(now.getEpochSecond() - seconds) > tolerance) {
                return "timestamp outside the tolerance of " + tolerance + " s (replay or clock skew)";
            }
            return null;
        } catch (NumberFormatException e) {
            return "malformed timestamp";
        }
    }

    static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JVM", e);
        }
    }

    private static byte[] hex(String value) {
        try {
            return HexFormat.of().parseHex(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
