package io.herald.ingest.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ingest.EventParser;
import io.herald.ingest.EventRules;
import io.herald.ingest.GroupCommitter;
import io.herald.platform.Hashing;
import io.herald.platform.Ids;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.schema.SchemaCheck;
import io.herald.schema.SchemaService;
import io.herald.store.NewEvent;
import io.herald.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Inbound webhook sources: their configuration, and receiving one webhook: verify the signature over the raw bytes,
 * derive the event type and the dedup key the provider's way, validate against the topic's schema, and store it
 * through the same group commit as any ingested event (so provider redeliveries are deduplicated).
 */
@ApplicationScoped
public class SourceService {
    private static final Logger LOG = Logger.getLogger(SourceService.class);
    static final Duration ROTATION_GRACE = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventParser parser;
    private final SchemaService schemas;
    private final GroupCommitter committer;
    private final MeterRegistry metrics;
    private final Sources sources;
    private final Topics topics;

    SourceService(
            EventParser parser,
            SchemaService schemas,
            GroupCommitter committer,
            MeterRegistry metrics,
            Sources sources,
            Topics topics) {
        this.parser = parser;
        this.sources = sources;
        this.topics = topics;
        this.schemas = schemas;
        this.committer = committer;
        this.metrics = metrics;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HmacIn(String header, String algorithm, String encoding, String prefix) {}

    public record SourceIn(
            String name,
            String kind,
            String topic,
            String secret,
            HmacIn hmac,
            String typeHeader,
            String typePointer,
            String dedupHeader,
            String tolerance) {}

    public record Counters(long received, long rejected, long deduplicated) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceOut(
            String id,
            String name,
            String kind,
            String topic,
            String path,
            HmacIn hmac,
            String typeHeader,
            String typePointer,
            String dedupHeader,
            String tolerance,
            Counters counters,
            String secret,
            Instant createdAt) {}

    public record SourceList(List<SourceOut> items) {}

    public record RotateIn(String secret) {}

    public record SecretOut(String secret, Instant previousSecretValidUntil) {}

    /** The outcome of one received webhook. */
    public record Received(String eventId, boolean duplicate) {}

    public SourceOut create(SourceIn in) {
        if (in == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body describing the source is required");
        }
        SourceRules.Checked checked = SourceRules.check(in);
        Source.Kind kind = checked.kind();
        Duration toleranceValue = checked.tolerance();
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!topics.exists(in.topic())) {
                throw ApiProblem.invalid(List.of(new io.herald.platform.problem.FieldError(
                        "/topic", "topic '" + in.topic() + "' does not exist")));
            }
            Source source = new Source();
            source.id = Ids.next("src");
            source.name = in.name();
            source.kind = kind;
            source.topic = in.topic();
            source.secret = in.secret() != null ? in.secret() : newSecret(kind);
            if (kind == Source.Kind.HMAC) {
                source.hmacHeader = in.hmac().header();
                source.hmacAlgorithm =
                        "sha512".equals(in.hmac().algorithm()) ? Source.Algorithm.SHA512 : Source.Algorithm.SHA256;
                source.hmacEncoding =
                        "base64".equals(in.hmac().encoding()) ? Source.Encoding.BASE64 : Source.Encoding.HEX;
                source.hmacPrefix = in.hmac().prefix();
            }
            source.typeHeader = in.typeHeader();
            source.typePointer = in.typePointer();
            source.dedupHeader = in.dedupHeader();
            source.toleranceSeconds = (int) toleranceValue.toSeconds();
            source.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            source.updatedAt = source.createdAt;
            sources.insert(source);
            return out(source, true);
        });
    }

    public SourceList list() {
        return new SourceList(sources.all().stream().map(s -> out(s, false)).toList());
    }

    public SourceOut get(String id) {
        return out(find(id), false);
    }

    public void delete(String id) {
        sources.delete(find(id).id);
    }

    /** A new secret (given or generated); the old one is still accepted for 24 hours. */
    public SecretOut rotate(String id, RotateIn in) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Source source = find(id);
            String next = in != null && in.secret() != null ? in.secret() : newSecret(source.kind);
            if (next.length() < 8 || next.length() > 500) {
                throw ApiProblem.invalid(List.of(new io.herald.platform.problem.FieldError(
                        "/secret", "must be 8 to 500 characters (omit it to have one generated)")));
            }
            if (source.kind == Source.Kind.STANDARD_WEBHOOKS && !SourceRules.validWhsec(next)) {
                throw ApiProblem.invalid(
                        List.of(new io.herald.platform.problem.FieldError("/secret", "must be whsec_ and base64")));
            }
            Instant until = Instant.now().plus(ROTATION_GRACE).truncatedTo(ChronoUnit.MICROS);
            source.previousSecret = source.secret;
            source.previousSecretExpires = until;
            source.secret = next;
            source.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            sources.updateSecrets(source);
            return new SecretOut(next, until);
        });
    }

    /** Verifies and stores one inbound webhook; the future completes after the commit. */
    public CompletableFuture<Received> receive(String sourceId, Function<String, String> header, byte[] body) {
        Source source = sources.find(sourceId);
        if (source == null) {
            throw ApiProblem.notFound("Source", sourceId);
        }
        count(sourceId, "received");
        List<String> secrets = new ArrayList<>(List.of(source.secret));
        if (source.previousSecret != null
                && source.previousSecretExpires != null
                && source.previousSecretExpires.isAfter(Instant.now())) {
            secrets.add(source.previousSecret);
        }
        String problem = SignatureVerifier.problem(source, secrets, header, body, Instant.now());
        if (problem != null) {
            count(sourceId, "rejected");
            metrics.counter("herald.sources.rejected", "source", sourceId).increment();
            LOG.debugf("Source %s refused a webhook: %s", sourceId, problem);
            throw new ApiProblem(ProblemType.UNAUTHORIZED, "The webhook's signature could not be verified: " + problem);
        }
        if (body.length == 0) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "The webhook body is empty");
        }
        EventParser.Data read = parser.data(body);
        JsonNode data = read.node();
        SchemaCheck check = schemas.validate(source.topic, null, data, "");
        String id = Ids.next("evt");
        String dedupKey = dedupKey(source, header, data, body);
        String type = type(source, header, data);
        String typeProblem = EventRules.attributeProblem(type, 255);
        if (typeProblem != null) {
            throw ApiProblem.invalid(List.of(new io.herald.platform.problem.FieldError(
                    "",
                    "the event type the webhook gives ('" + type.substring(0, Math.min(40, type.length())) + "...') "
                            + typeProblem)));
        }
        NewEvent event = new NewEvent(
                id,
                source.topic,
                dedupKey,
                "/sources/" + source.id,
                type,
                null,
                null,
                "application/json",
                read.text(),
                data,
                check.version(),
                null,
                Hashing.sha256Hex(body));
        return committer.append(List.of(event)).thenApply(outcomes -> {
            GroupCommitter.Outcome outcome = outcomes.get(0);
            switch (outcome.status()) {
                case DUPLICATE -> {
                    count(sourceId, "deduplicated");
                    return new Received(outcome.eventId(), true);
                }
                case CONFLICT ->
                    throw new ApiProblem(
                            ProblemType.CONFLICT,
                            "Delivery '" + dedupKey + "' was received before with a different body (as "
                                    + outcome.eventId() + ")");
                default -> {
                    return new Received(outcome.eventId(), false);
                }
            }
        });
    }

    private static String type(Source source, Function<String, String> header, JsonNode data) {
        switch (source.kind) {
            case GITHUB -> {
                String event = header.apply("X-GitHub-Event");
                String action =
                        data.path("action").isTextual() ? data.get("action").asText() : null;
                return (event == null ? "github" : "github." + event) + (action == null ? "" : "." + action);
            }
            case STRIPE -> {
                return data.path("type").isTextual() ? data.get("type").asText() : "stripe.event";
            }
            default -> {
                if (source.typeHeader != null && header.apply(source.typeHeader) != null) {
                    return header.apply(source.typeHeader);
                }
                String pointer = source.typePointer != null
                        ? source.typePointer
                        : source.kind == Source.Kind.STANDARD_WEBHOOKS ? "/type" : null;
                if (pointer != null
                        && data.at(pointer).isValueNode()
                        && !data.at(pointer).asText().isEmpty()) {
                    return data.at(pointer).asText();
                }
                return "webhook";
            }
        }
    }

    /** The provider's delivery id, so its redeliveries are recognised; the body's hash when it gives none. */
    private static String dedupKey(Source source, Function<String, String> header, JsonNode data, byte[] body) {
        String key = switch (source.kind) {
            case GITHUB -> header.apply("X-GitHub-Delivery");
            case STRIPE -> data.path("id").isTextual() ? data.get("id").asText() : null;
            case STANDARD_WEBHOOKS -> header.apply("webhook-id");
            case HMAC -> source.dedupHeader == null ? null : header.apply(source.dedupHeader);
        };
        if (key == null && source.dedupHeader != null) {
            key = header.apply(source.dedupHeader);
        }
        return key != null && !key.isEmpty() && EventRules.attributeProblem(key, 255) == null
                ? key
                : "sha256:" + Hashing.sha256Hex(body);
    }

    private void count(String sourceId, String counter) {
        sources.increment(sourceId, counter);
    }

    private Source find(String id) {
        Source source = sources.find(id);
        if (source == null) {
            throw ApiProblem.notFound("Source", id);
        }
        return source;
    }

    private static String newSecret(Source.Kind kind) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return kind == Source.Kind.STANDARD_WEBHOOKS || kind == Source.Kind.STRIPE
                ? "whsec_" + Base64.getEncoder().encodeToString(key)
                : HexFormat.of().formatHex(key);
    }

    private SourceOut out(Source source, boolean withSecret) {
        HmacIn hmac = source.kind != Source.Kind.HMAC
                ? null
                : new HmacIn(
                        source.hmacHeader,
                        source.hmacAlgorithm.name().toLowerCase(Locale.ROOT),
                        source.hmacEncoding.name().toLowerCase(Locale.ROOT),
                        source.hmacPrefix);
        return new SourceOut(
                source.id,
                source.name,
                source.kind.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                source.topic,
                "/ingest/" + source.id,
                hmac,
                source.typeHeader,
                source.typePointer,
                source.dedupHeader,
                Duration.ofSeconds(source.toleranceSeconds).toString(),
                new Counters(source.received, source.rejected, source.deduplicated),
                withSecret ? source.secret : null,
                source.createdAt);
    }
}
