package io.herald.identity;

import io.agroal.api.AgroalDataSource;
import io.herald.identity.ApiKeyDtos.ApiKeyIn;
import io.herald.identity.ApiKeyDtos.ApiKeyList;
import io.herald.identity.ApiKeyDtos.ApiKeyOut;
import io.herald.platform.Hashing;
import io.herald.platform.Ids;
import io.herald.platform.TopicPattern;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.Violations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys: {@code hk_<8 characters>_<32 characters>}: 190 random bits after the visible prefix. The prefix finds the
 * row; the SHA-256 of the whole key is compared in constant time. Revoked and expired keys fail on their next use.
 */
@ApplicationScoped
public class ApiKeyService {
    /** The column that keeps a key's topic patterns, comma-separated. */
    private static final int MAX_PATTERNS_LENGTH = 2000;
    /** RFC 3339 (and so the API's date-time) has four-digit years. */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private final AgroalDataSource dataSource;
    private final Map<String, Long> lastUseWritten = new ConcurrentHashMap<>();

    private final RevocationListener cache;
    private final ApiKeys keys;

    ApiKeyService(AgroalDataSource dataSource, RevocationListener cache, ApiKeys keys) {
        this.dataSource = dataSource;
        this.cache = cache;
        this.keys = keys;
    }

    static final Pattern FORMAT = Pattern.compile("hk_([a-z0-9]{8})_([A-Za-z0-9]{24,64})");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when no key has the prefix, so a miss costs what a wrong key costs. */
    private static final String NO_SUCH_KEY = Hashing.sha256Hex("hk_00000000_none");

    /** Who a valid key is: its id, name, role (may be null) and the topic patterns it may publish to (empty: any). */
    public record Verified(
            String id,
            String name,
            String role,
            List<TopicPattern> publishPatterns,
            List<String> patternTexts,
            Instant expiresAt) {}

    public ApiKeyOut create(ApiKeyIn in, String createdBy) {
        if (in == null) {
            throw ApiProblem.invalid(List.of(new io.herald.platform.problem.FieldError("", "a JSON body is required")));
        }
        Violations violations = new Violations();
        if (in.name() == null || in.name().isBlank() || in.name().length() > 200) {
            violations.add("/name", "give the key a name of 1 to 200 characters, e.g. what uses it");
        }
        String role = role(in.role(), violations);
        List<String> patterns = in.topicPatterns() == null || in.topicPatterns().isEmpty() ? null : in.topicPatterns();
        if (patterns != null) {
            for (int i = 0; i < patterns.size(); i++) {
                String problem =
                        patterns.get(i) == null ? "must be a topic pattern" : TopicPattern.problem(patterns.get(i));
                if (problem != null) {
                    violations.add("/topicPatterns/" + i, problem);
                }
            }
        }
        if (patterns != null && String.join(",", patterns).length() > MAX_PATTERNS_LENGTH) {
            violations.add(
                    "/topicPatterns",
                    "must be at most " + MAX_PATTERNS_LENGTH + " characters together (give the key a "
                            + "wider pattern such as orders.** instead of listing many)");
        }
        if (role == null && patterns == null) {
            violations.add("/role", "give a role, topic patterns to publish to, or both");
        }
        if (in.expiresAt() != null && !in.expiresAt().isAfter(Instant.now())) {
            violations.add("/expiresAt", "must be in the future");
        } else if (in.expiresAt() != null && in.expiresAt().isAfter(LATEST_EXPIRY)) {
            violations.add(
                    "/expiresAt",
                    "must be before year 10000 (RFC 3339 date-time); omit it for a key that does not expire");
        }
        violations.throwIfAny();
        String key = generate();
        ApiKey row = store(key, in.name().trim(), role, patterns, in.expiresAt(), createdBy);
        return out(row, key);
    }

    /** Makes sure a key given in configuration (HERALD_API_KEY) works, as an admin key. */
    public void ensureConfigured(String key, String name) {
        if (!FORMAT.matcher(key).matches()) {
            throw new IllegalStateException(
                    "HERALD_API_KEY must look like hk_<8 lower-case letters or digits>_<24 to 64 letters or "
                            + "digits>, e.g. as POST /api/v1/api-keys makes them");
        }
        boolean usable = QuarkusTransaction.requiringNew().call(() -> {
            ApiKey existing = keys.findByLookup(lookup(key));
            if (existing != null && existing.keyHash.equals(Hashing.sha256Hex(key)) && existing.revokedAt == null) {
                return true;
            }
            if (existing != null) {
                keys.delete(
                        existing.id); // another key under the same prefix, or this one revoked: the configuration wins
            }
            return false;
        });
        if (!usable) {
            store(key, name, Role.ADMIN_NAME, null, null, "configuration");
        }
    }

    private ApiKey store(
            String key, String name, String role, List<String> patterns, Instant expiresAt, String createdBy) {
        ApiKey row = new ApiKey();
        row.id = Ids.next("key");
        row.lookupId = lookup(key);
        row.keyHash = Hashing.sha256Hex(key);
        row.name = name;
        row.role = role;
        row.topicPatterns = patterns == null ? null : String.join(",", patterns);
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.createdBy = createdBy;
        row.expiresAt = expiresAt;
        keys.insert(row); // one statement: it commits on its own
        return row;
    }

    public ApiKeyList list() {
        List<ApiKey> rows = keys.all();
        return new ApiKeyList(rows.stream().map(row -> out(row, null)).toList());
    }

    public ApiKeyOut get(String id) {
        return out(find(id), null);
    }

    /** Revokes a key: it fails from its next use on. Revoking twice is harmless. */
    public ApiKeyOut revoke(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiKey row = keys.find(id);
            if (row == null) {
                throw ApiProblem.notFound("API key", id);
            }
            if (row.revokedAt == null) {
                keys.revoke(row, Instant.now().truncatedTo(ChronoUnit.MICROS));
            }
            cache.forget(row.id);
            return out(row, null);
        });
    }

    /**
     * The key's identity, or empty when it is unknown, wrong, revoked or expired. A key verified before and not
     * revoked since (see {@link RevocationListener}) costs nothing; otherwise one indexed read (plain JDBC,
     * autocommit). Its last use is written at most once a minute.
     */
    public Optional<Verified> verify(String presented) {
        if (presented == null || !FORMAT.matcher(presented).matches()) {
            return Optional.empty();
        }
        Verified known = cache.get(presented);
        if (known != null && (known.expiresAt() == null || known.expiresAt().isAfter(Instant.now()))) {
            if (lastUseDue(known.id())) {
                try (Connection connection = dataSource.getConnection()) {
                    recordUse(connection, known.id());
                } catch (SQLException e) {
                    // The last-use time is a convenience; the key is valid.
                }
            }
            return Optional.of(known);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read =
                        connection.prepareStatement("select id, key_hash, name, role, topic_patterns, expires_at, "
                                + "revoked_at from api_keys where lookup_id = ?")) {
            read.setString(1, lookup(presented));
            String id = null;
            String hash = NO_SUCH_KEY;
            String name = null;
            String role = null;
            String patterns = null;
            Timestamp expires = null;
            Timestamp revoked = null;
            try (ResultSet row = read.executeQuery()) {
                if (row.next()) {
                    id = row.getString(1);
                    hash = row.getString(2);
                    name = row.getString(3);
                    role = row.getString(4);
                    patterns = row.getString(5);
                    expires = row.getTimestamp(6);
                    revoked = row.getTimestamp(7);
                }
            }
            boolean equal = MessageDigest.isEqual(
                    Hashing.sha256Hex(presented).getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
            if (id == null
                    || !equal
                    || revoked != null
                    || (expires != null && !expires.toInstant().isAfter(Instant.now()))) {
                return Optional.empty();
            }
            recordUse(connection, id);
            List<String> texts = patterns == null ? List.of() : Arrays.asList(patterns.split(","));
            Verified key = new Verified(
                    id,
                    name,
                    role,
                    texts.stream().map(TopicPattern::of).toList(),
                    texts,
                    expires == null ? null : expires.toInstant());
            cache.put(presented, key);
            return Optional.of(key);
        } catch (SQLException e) {
            throw new io.herald.platform.problem.ServiceUnavailableException(
                    "API keys cannot be checked: the database is unreachable");
        }
    }

    /**
     * The key when it was verified before, is not revoked or expired, and no last-use write is due: answered from memory,
     * so the caller need not leave the event loop. Empty means "ask {@link #verify}", not "invalid".
     */
    public Optional<Verified> verifiedWithoutWork(String presented) {
        Verified known = presented == null ? null : cache.get(presented);
        if (known == null
                || (known.expiresAt() != null && !known.expiresAt().isAfter(Instant.now()))
                || lastUseDue(known.id())) {
            return Optional.empty();
        }
        return Optional.of(known);
    }

    private boolean lastUseDue(String id) {
        Long last = lastUseWritten.get(id);
        return last == null || System.currentTimeMillis() - last >= 60_000;
    }

    private void recordUse(Connection connection, String id) throws SQLException {
        long now = System.currentTimeMillis();
        Long last = lastUseWritten.get(id);
        if (last != null && now - last < 60_000) {
            return; // written less than a minute ago
        }
        if (last == null ? lastUseWritten.putIfAbsent(id, now) != null : !lastUseWritten.replace(id, last, now)) {
            return; // another request is writing it now
        }
        try (PreparedStatement update =
                connection.prepareStatement("update api_keys set last_used_at = ? where id = ?")) {
            update.setTimestamp(1, new Timestamp(now));
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    private ApiKey find(String id) {
        ApiKey row = keys.find(id);
        if (row == null) {
            throw ApiProblem.notFound("API key", id);
        }
        return row;
    }

    private static String role(String role, Violations violations) {
        if (role == null) {
            return null;
        }
        try {
            return Role.of(role).id();
        } catch (IllegalArgumentException e) {
            violations.add("/role", "must be one of admin, operator, publisher, viewer");
            return null;
        }
    }

    private static List<String> patterns(ApiKey row) {
        return row.topicPatterns == null ? List.of() : Arrays.asList(row.topicPatterns.split(","));
    }

    static ApiKeyOut out(ApiKey row, String key) {
        Instant now = Instant.now();
        String state = row.revokedAt != null
                ? "revoked"
                : row.expiresAt != null && !row.expiresAt.isAfter(now) ? "expired" : "active";
        return new ApiKeyOut(
                row.id,
                row.name,
                row.lookupId,
                row.role,
                row.topicPatterns == null ? null : patterns(row),
                row.createdAt,
                row.createdBy,
                row.expiresAt,
                row.revokedAt,
                row.lastUsedAt,
                state,
                key);
    }

    static String lookup(String key) {
        return key.substring(0, 11); // "hk_" and the 8-character prefix
    }

    static String generate() {
        StringBuilder key = new StringBuilder("hk_");
        for (int i = 0; i < 8; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        key.append('_');
        for (int i = 0; i < 32; i++) {
            key.append(SECRET_ALPHABET.charAt(RANDOM.nextInt(SECRET_ALPHABET.length())));
        }
        return key.toString();
    }
}
