package io.herald.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.routing.Subscription;
import io.herald.routing.Subscriptions;
import io.herald.transform.Transformation;
import io.herald.transform.TransformationException;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Runs a transformation on a stored event as a delivery would, without delivering: the input, the output (or the
 * error, with its position) and the time it took. The subscription's own transformation unless the request brings one,
 * so an edit can be tried before it is saved.
 */
@Singleton
public class TransformationTests {
    private final Subscriptions subscriptions;
    private final DeliveryLedger ledger;
    private final Transformations transformations;

    TransformationTests(Subscriptions subscriptions, DeliveryLedger ledger, Transformations transformations) {
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.transformations = transformations;
    }

    public record TestIn(String eventId, String transformation) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestOut(JsonNode input, Output output, TestError error, double tookMs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(boolean skip, JsonNode body, Map<String, String> headers) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestError(String message, String code, Integer position) {}

    public TestOut test(String subscriptionId, TestIn in) {
        Subscription subscription = subscriptions.find(subscriptionId);
        if (subscription == null) {
            throw ApiProblem.notFound("Subscription", subscriptionId);
        }
        if (in == null || in.eventId() == null || in.eventId().isBlank()) {
            throw ApiProblem.invalid(List.of(new FieldError("/eventId", "is required: the stored event to run it on")));
        }
        String source = in.transformation() != null ? in.transformation() : subscription.transformation;
        if (source == null || source.isBlank()) {
            throw ApiProblem.invalid(List.of(
                    new FieldError("/transformation", "is required: the subscription has none, so give one to test")));
        }
        Transformation transformation;
        try {
            transformation = Transformation.compile(source);
        } catch (TransformationException e) {
            throw ApiProblem.invalid(List.of(
                    new FieldError("/transformation", "is not a JSONata expression Herald can run: " + e.describe())));
        }
        EventSnapshot event;
        try {
            event = ledger.event(in.eventId()).orElseThrow(() -> ApiProblem.notFound("Event", in.eventId()));
        } catch (SQLException e) {
            throw new ApiProblem(
                    ProblemType.SERVICE_UNAVAILABLE, "The event store is not reachable: " + e.getMessage());
        }
        com.fasterxml.jackson.databind.node.ObjectNode input = transformations.input(event);
        long started = System.nanoTime();
        try {
            Transformations.Applied applied = transformations.apply(transformation, event, input);
            double took = (System.nanoTime() - started) / 1e6;
            JsonNode body = applied.skip() ? null : applied.body() != null ? applied.body() : input.get("data");
            return new TestOut(
                    input, new Output(applied.skip(), body, applied.skip() ? null : applied.headers()), null, took);
        } catch (TransformationException e) {
            double took = (System.nanoTime() - started) / 1e6;
            return new TestOut(
                    input, null, new TestError(e.describe(), e.code(), e.position() < 0 ? null : e.position()), took);
        }
    }
}
