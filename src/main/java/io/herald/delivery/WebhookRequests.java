package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.routing.Subscription;
import io.vertx.core.MultiMap;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What a webhook request carries: the body and headers of the subscription's format (Standard Webhooks, CloudEvents
 * binary or structured), the subscription's headers, a {@code User-Agent}, a W3C {@code traceparent}, and the Standard
 * Webhooks signature over exactly the body sent.
 */
final class WebhookRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectMapper json;

    WebhookRequests(ObjectMapper json) {
        this.json = json;
    }

    /** Sets the headers on {@code options} and returns the body. */
    byte[] request(WebhookEndpoint target, EventSnapshot event, long timestamp, RequestOptions options) {
        byte[] body;
        String contentType;
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (target.format() == Subscription.Format.CLOUDEVENTS_STRUCTURED) {
            body = structured(event);
            contentType = "application/cloudevents+json; charset=utf-8";
        } else {
            body = event.data().getBytes(StandardCharsets.UTF_8);
            contentType = event.dataContentType();
            if (target.format() == Subscription.Format.CLOUDEVENTS_BINARY) {
                binaryHeaders(headers, event);
            }
        }
        target.headers().forEach(headers::add);
        headers.set("Content-Type", contentType)
                .set("User-Agent", WebhookClient.USER_AGENT)
                .set("traceparent", traceparent(event))
                .set("webhook-id", event.eventId())
                .set("webhook-timestamp", Long.toString(timestamp))
                .set("webhook-signature", WebhookSigner.signatures(target.secrets(), event.eventId(), timestamp, body));
        options.setHeaders(headers);
        return body;
    }

    private static void binaryHeaders(MultiMap headers, EventSnapshot event) {
        headers.add("ce-specversion", "1.0")
                .add("ce-id", event.ceId())
                .add("ce-source", event.source())
                .add("ce-type", event.type());
        if (event.subject() != null) {
            headers.add("ce-subject", event.subject());
        }
        if (event.time() != null) {
            headers.add("ce-time", event.time());
        }
        if (event.extensions() != null) {
            event.extensions().fields().forEachRemaining(e -> {
                if (!e.getKey().equals("traceparent") && !e.getKey().equals("tracestate")) {
                    headers.add("ce-" + e.getKey(), e.getValue().asText());
                }
            });
        }
    }

    private byte[] structured(EventSnapshot event) {
        try {
            ObjectNode envelope = json.createObjectNode()
                    .put("specversion", "1.0")
                    .put("id", event.ceId())
                    .put("source", event.source())
                    .put("type", event.type());
            if (event.subject() != null) {
                envelope.put("subject", event.subject());
            }
            if (event.time() != null) {
                envelope.put("time", event.time());
            }
            envelope.put("datacontenttype", event.dataContentType());
            if (event.extensions() != null) {
                envelope.setAll(event.extensions());
            }
            envelope.set("data", json.readTree(event.data()));
            return json.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new IllegalStateException("Stored data is not JSON", e);
        }
    }

    /** The producer's trace when it sent one (CloudEvents distributed tracing extension), a new one otherwise. */
    private static String traceparent(EventSnapshot event) {
        if (event.extensions() != null
                && event.extensions().path("traceparent").isTextual()
                && event.extensions().get("traceparent").asText().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return event.extensions().get("traceparent").asText();
        }
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
