package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.transform.Transformation;
import io.herald.transform.TransformationException;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscriptions' transformations as deliveries run them: compiled once per expression text (lanes re-read their
 * subscriptions every second), applied to an event within {@code herald.delivery.transformation-timeout}.
 */
@Singleton
public class Transformations {
    private static final int MAX_DEPTH = 200;
    private static final int CACHED = 1_000;

    private final ObjectMapper json;
    private final Transformation.Bounds bounds;
    private final Map<String, Transformation> compiled = new ConcurrentHashMap<>();

    Transformations(ObjectMapper json, DeliveryConfig config) {
        this.json = json;
        this.bounds = new Transformation.Bounds(config.transformationTimeout(), MAX_DEPTH);
    }

    /** A stored transformation, compiled; null for none. Stored ones were checked when saved. */
    Transformation compiled(String source) {
        if (source == null) {
            return null;
        }
        Transformation known = compiled.get(source);
        if (known != null) {
            return known;
        }
        if (compiled.size() >= CACHED) {
            compiled.clear();
        }
        try {
            Transformation transformation = Transformation.compile(source);
            compiled.put(source, transformation);
            return transformation;
        } catch (TransformationException e) {
            throw new IllegalStateException("A stored transformation does not compile: " + e.describe(), e);
        }
    }

    /**
     * What a transformation did to one event: the event to deliver (its data replaced by {@code body}, null when the
     * transformation kept the data) and the headers to add, or a skip.
     */
    public record Applied(
            EventSnapshot event, JsonNode body, Map<String, String> headers, boolean skip, long tookMicros) {}

    public Applied apply(Transformation transformation, EventSnapshot event) throws TransformationException {
        return apply(transformation, event, input(event));
    }

    /** The same, on the event's {@link #input} already built (a test shows it beside the output). */
    Applied apply(Transformation transformation, EventSnapshot event, ObjectNode input) throws TransformationException {
        long started = System.nanoTime();
        Transformation.Result result = transformation.apply(input, bounds, json);
        long took = (System.nanoTime() - started) / 1_000;
        EventSnapshot delivered = result.body() == null
                ? event
                : new EventSnapshot(
                        event.eventId(),
                        event.topic(),
                        event.ceId(),
                        event.source(),
                        event.type(),
                        event.subject(),
                        event.time(),
                        "application/json",
                        result.body().toString(),
                        event.extensions());
        return new Applied(delivered, result.body(), result.headers(), result.skip(), took);
    }

    /**
     * The transformation's input: the event as a CloudEvent in JSON (the structured format's attributes and
     * extensions), with {@code data} parsed when it is JSON and a string otherwise.
     */
    public ObjectNode input(EventSnapshot event) {
        ObjectNode input = json.createObjectNode();
        CloudEventsAttributes.of(event).forEach(input::put);
        if (event.extensions() != null) {
            input.setAll(event.extensions()); // with their JSON types
        }
        JsonNode data;
        try {
            data = json.readTree(event.data());
        } catch (JsonProcessingException e) {
            data = json.getNodeFactory().textNode(event.data());
        }
        input.set("data", data);
        return input;
    }
}
