package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.herald.platform.Paging;
import io.herald.platform.WouldBlock;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import io.herald.schema.compatibility.CompatibilityFinding;
import io.herald.schema.compatibility.CompatibilityPolicy;
import io.herald.schema.compatibility.CompatibilityReport;
import io.herald.schema.compatibility.JsonSchemaChecker;
import io.herald.schema.regex.LinearRegex;
import io.herald.topic.CompatibilityMode;
import io.herald.topic.Topic;
import io.herald.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema registry: immutable numbered versions per topic, compatibility enforcement, and validation of event
 * payloads with compiled, cached schemas. Resources, the console and ingest call this.
 */
@ApplicationScoped
public class SchemaService {
    /**
     * Pattern-matching units (pattern size x string length) one event may use on an event loop, about a millisecond;
     * beyond it the event is checked again on a worker thread with the whole budget.
     */
    private static final long EVENT_LOOP_PATTERN_BUDGET = 100_000;

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    private final SchemaDocuments documents;
    private final SchemaConfig config;
    private final SchemaVersions versions;
    private final Topics topics;
    private final CompatibilityPolicy policy = new CompatibilityPolicy(new JsonSchemaChecker());
    /** Versions never change once written, except for soft deletion (which an entry's TTL picks up). */
    private final Cache<VersionKey, CompiledVersion> compiled;
    /** Latest active version per topic; empty when the topic has no schema. */
    private final Cache<String, Optional<Integer>> latest;

    SchemaService(SchemaDocuments documents, SchemaConfig config, SchemaVersions versions, Topics topics) {
        this.documents = documents;
        this.config = config;
        this.versions = versions;
        this.topics = topics;
        this.compiled = Caffeine.newBuilder()
                .maximumSize(config.compiledCacheSize())
                .expireAfterWrite(config.latestVersionCacheTtl().multipliedBy(12))
                .build();
        this.latest = Caffeine.newBuilder()
                .maximumSize(config.compiledCacheSize())
                .expireAfterWrite(config.latestVersionCacheTtl())
                .build();
    }

    /** What a registration did: a new version, or the existing identical one. */
    public record Registration(SchemaVersionOut version, boolean created) {}

    @Transactional
    public Registration register(String topicName, SchemaIn in) {
        // Lock the topic: registrations on one topic are serialized, so version numbers and checks cannot race.
        Topic topic = topics.findForUpdate(topicName);
        if (topic == null) {
            throw ApiProblem.notFound("Topic", topicName);
        }
        Topics.requireWritable(topicName);
        Candidate candidate = candidate(in);
        List<SchemaVersion> active = versions.active(topicName);
        for (SchemaVersion existing : active) {
            if (existing.fingerprint.equals(candidate.fingerprint)) {
                return new Registration(out(existing), false);
            }
        }
        CompatibilityReport report = evaluate(topic.compatibility, candidate.schema, active);
        if (!report.compatible()) {
            throw incompatible(topicName, report);
        }
        SchemaVersion version = new SchemaVersion();
        version.topic = topicName;
        version.version = versions.highest(topicName) + 1;
        version.dialect = candidate.dialect;
        version.schemaText = candidate.canonical;
        version.fingerprint = candidate.fingerprint;
        version.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        versions.insert(version);
        latest.invalidate(topicName);
        return new Registration(out(version), true);
    }

    /** The compatibility verdict a registration would get, without registering. */
    public CompatibilityReport checkCompatibility(String topicName, SchemaIn in) {
        Topic topic = requireTopic(topicName);
        Candidate candidate = candidate(in);
        return evaluate(topic.compatibility, candidate.schema, versions.active(topicName));
    }

    public SchemaVersionPage list(String topicName, String after, String limit, boolean includeDeleted) {
        requireTopic(topicName);
        int size = Paging.limit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        int from = after == null || after.isEmpty() ? 0 : parseVersion(after, "/after");
        List<SchemaVersion> found = versions.page(topicName, from, includeDeleted, size + 1);
        boolean more = found.size() > size;
        List<SchemaVersionOut> items = found.stream().limit(size).map(this::out).toList();
        return new SchemaVersionPage(items, more ? items.get(items.size() - 1).version() : null);
    }

    /** One version by number, or {@code latest}; soft-deleted versions stay readable by number. */
    public SchemaVersionOut get(String topicName, String version) {
        requireTopic(topicName);
        if ("latest".equals(version)) {
            return versions.latestActive(topicName)
                    .map(this::out)
                    .orElseThrow(
                            () -> new ApiProblem(ProblemType.NOT_FOUND, "Topic '" + topicName + "' has no schema"));
        }
        SchemaVersion found = versions.find(topicName, parseVersion(version, "/version"));
        if (found == null) {
            throw new ApiProblem(ProblemType.NOT_FOUND, "Topic '" + topicName + "' has no schema version " + version);
        }
        return out(found);
    }

    /** Soft delete: the version stays readable for the events that used it, but is no longer used or checked. */
    @Transactional
    public void delete(String topicName, String version) {
        requireTopic(topicName);
        Topics.requireWritable(topicName);
        SchemaVersion found = versions.find(topicName, parseVersion(version, "/version"));
        if (found == null || found.isDeleted()) {
            throw new ApiProblem(ProblemType.NOT_FOUND, "Topic '" + topicName + "' has no schema version " + version);
        }
        versions.markDeleted(found, Instant.now().truncatedTo(ChronoUnit.MICROS));
        latest.invalidate(topicName);
        compiled.invalidate(new VersionKey(topicName, found.version));
    }

    /**
     * Checks a payload against a version of the topic's schema ({@code null}: the latest). A topic without a schema
     * accepts any JSON. An unknown or deleted version is refused (422).
     *
     * @param pointerPrefix prepended to violation pointers, e.g. {@code /data} when the payload sits there in the request
     */
    public SchemaCheck check(String topicName, Integer version, JsonNode payload, String pointerPrefix) {
        return check(topicName, version, payload, pointerPrefix, true);
    }

    /**
     * {@link #check}; with {@code mayBlock} false (on an event loop) it answers only from the caches and throws
     * {@link WouldBlock} when the version would have to be read from the database.
     */
    public SchemaCheck check(
            String topicName, Integer version, JsonNode payload, String pointerPrefix, boolean mayBlock) {
        Integer effective = version;
        if (effective == null) {
            Optional<Integer> newest = WouldBlock.cached(latest, topicName, this::loadLatestNumber, mayBlock);
            if (newest.isEmpty()) {
                return new SchemaCheck(null, List.of(), 0);
            }
            effective = newest.get();
        }
        CompiledVersion schema =
                WouldBlock.cached(compiled, new VersionKey(topicName, effective), this::load, mayBlock);
        if (schema == null || schema.deleted) {
            throw new ApiProblem(
                    ProblemType.VALIDATION_FAILED,
                    "Topic '" + topicName + "' has no " + (schema == null ? "" : "usable (deleted) ")
                            + "schema version " + effective,
                    List.of(new FieldError(
                            pointerPrefix.isEmpty() ? "/schemaVersion" : pointerPrefix,
                            "unknown schema version " + effective)));
        }
        if (schema.unusable != null) {
            throw new ApiProblem(
                    ProblemType.VALIDATION_FAILED,
                    "Schema version " + effective + " of topic '" + topicName + "' cannot check events: "
                            + schema.unusable,
                    List.of(new FieldError(
                            pointerPrefix.isEmpty() ? "/schemaVersion" : pointerPrefix,
                            "unusable schema version " + effective)));
        }
        List<Error> errors;
        try {
            errors = LinearRegex.withBudget(
                    mayBlock ? config.patternBudget() : EVENT_LOOP_PATTERN_BUDGET,
                    () -> schema.schema.validate(payload));
        } catch (LinearRegex.BudgetExceeded spent) {
            if (!mayBlock) {
                throw WouldBlock.INSTANCE; // checked again on a worker, with the whole budget
            }
            throw new ApiProblem(
                    ProblemType.VALIDATION_FAILED,
                    "Checking this event against the patterns of schema version " + effective
                            + " of topic '" + topicName
                            + "' takes more than Herald's budget (herald.schema.pattern-budget); shorten its"
                            + " strings or simplify the schema's patterns. Nothing was stored",
                    List.of(new FieldError(
                            pointerPrefix.isEmpty() ? "" : pointerPrefix,
                            "too costly to check against the schema's patterns")));
        }
        return new SchemaCheck(
                effective,
                SchemaDocuments.violations(errors, pointerPrefix, config.maxReportedViolations()),
                errors.size());
    }

    /** {@link #check} that refuses a payload with violations: 422 listing each (pointer and message). */
    public SchemaCheck validate(String topicName, Integer version, JsonNode payload, String pointerPrefix) {
        SchemaCheck check = check(topicName, version, payload, pointerPrefix);
        if (!check.valid()) {
            String more = check.totalViolations() > check.violations().size()
                    ? " (the first " + check.violations().size() + " are listed)"
                    : "";
            throw new ApiProblem(
                    ProblemType.SCHEMA_VIOLATION,
                    "The event does not match version " + check.version()
                            + " of the schema of topic '" + topicName + "': " + check.totalViolations() + " violation"
                            + (check.totalViolations() == 1 ? "" : "s") + more,
                    check.violations());
        }
        return check;
    }

    /** A sample payload against a version named in a URL ({@code latest} or a number) of an existing topic. */
    public SchemaCheck validateSample(String topicName, String version, JsonNode payload) {
        requireTopic(topicName);
        return validate(topicName, "latest".equals(version) ? null : parseVersion(version, "/version"), payload, "");
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Candidate(JsonNode schema, SchemaDialect dialect, String canonical, String fingerprint) {}

    private Candidate candidate(SchemaIn in) {
        if (in == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body {\"schema\": {...}} is required");
        }
        Violations violations = new Violations();
        JsonNode schema = in.schema();
        SchemaDialect dialect = schema != null && schema.isObject()
                ? documents.dialectOf(schema, violations)
                : SchemaDialect.DRAFT_2020_12;
        violations.throwIfAny();
        documents.check(schema, dialect, violations);
        violations.throwIfAny();
        String canonical = documents.canonical(schema);
        return new Candidate(schema, dialect, canonical, io.herald.platform.Hashing.sha256Hex(canonical));
    }

    private CompatibilityReport evaluate(CompatibilityMode mode, JsonNode candidate, List<SchemaVersion> active) {
        List<CompatibilityPolicy.RegisteredSchema> registered = new ArrayList<>();
        for (SchemaVersion version : active) {
            registered.add(
                    new CompatibilityPolicy.RegisteredSchema(version.version, documents.parse(version.schemaText)));
        }
        return policy.evaluate(mode, candidate, registered);
    }

    private static ApiProblem incompatible(String topicName, CompatibilityReport report) {
        List<FieldError> errors = new ArrayList<>();
        for (CompatibilityFinding finding : report.incompatibilities()) {
            errors.add(new FieldError("/schema" + finding.pointer(), finding.message()));
        }
        return new ApiProblem(
                ProblemType.SCHEMA_INCOMPATIBLE,
                "The schema breaks the " + report.mode()
                        + " compatibility of topic '" + topicName + "' (checked against version"
                        + (report.checkedAgainst().size() == 1 ? " " : "s ")
                        + report.checkedAgainst() + "): " + errors.size() + " incompatibilit"
                        + (errors.size() == 1 ? "y" : "ies"),
                errors);
    }

    private Optional<Integer> loadLatestNumber(String topicName) {
        return versions.latestActive(topicName).map(version -> version.version);
    }

    private CompiledVersion load(VersionKey key) {
        SchemaVersion version = versions.find(key.topic(), key.version());
        if (version == null) {
            return null;
        }
        try {
            return new CompiledVersion(
                    documents.compile(version.dialect, documents.parse(version.schemaText)), version.isDeleted(), null);
        } catch (RuntimeException e) {
            // Registered before patterns were held to RE2: the version stays readable, but cannot check events.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof com.google.re2j.PatternSyntaxException refused) {
                    return new CompiledVersion(
                            null,
                            version.isDeleted(),
                            "it has a pattern Herald does not run (" + refused.getDescription() + " in '"
                                    + refused.getPattern() + "'); register a new version");
                }
            }
            throw e;
        }
    }

    private Topic requireTopic(String topicName) {
        Topic topic = topics.find(topicName);
        if (topic == null) {
            throw ApiProblem.notFound("Topic", topicName);
        }
        return topic;
    }

    private SchemaVersionOut out(SchemaVersion version) {
        return new SchemaVersionOut(
                version.topic,
                version.version,
                version.dialect.uri(),
                documents.parse(version.schemaText),
                version.fingerprint,
                version.createdAt,
                version.isDeleted(),
                version.deletedAt);
    }

    private static int parseVersion(String value, String pointer) {
        try {
            int version = Integer.parseInt(value);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.invalid(List.of(new FieldError(
                pointer,
                "must be a version number (1, 2, ...)" + (pointer.equals("/version") ? " or 'latest'" : "") + ", not '"
                        + value + "'")));
    }

    private record VersionKey(String topic, int version) {}

    /** A compiled version; {@code unusable} says why a stored version cannot check events, when it cannot. */
    private record CompiledVersion(Schema schema, boolean deleted, String unusable) {}
}
