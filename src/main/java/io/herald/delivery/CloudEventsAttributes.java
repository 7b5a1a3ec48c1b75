package io.herald.delivery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An event's CloudEvents attributes (extensions included, data not) as strings, for engines' binary content modes. */
public final class CloudEventsAttributes {
    private CloudEventsAttributes() {}

    /** Attribute name to its canonical string, in the order of the specification's attribute list. */
    public static Map<String, String> of(EventSnapshot event) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", "1.0");
        attributes.put("id", event.ceId());
        attributes.put("source", event.source());
        attributes.put("type", event.type());
        if (event.dataContentType() != null) {
            attributes.put("datacontenttype", event.dataContentType());
        }
        if (event.subject() != null) {
            attributes.put("subject", event.subject());
        }
        if (event.time() != null) {
            attributes.put("time", event.time());
        }
        if (event.extensions() != null) {
            event.extensions()
                    .fields()
                    .forEachRemaining(
                            e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        return attributes;
    }

    /**
     * A header value as the HTTP and NATS bindings write it: space, double quote, percent and every character outside
     * printable ASCII percent-encoded as UTF-8 bytes, upper-case hex.
     */
    public static String percentEncoded(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (codePoint >= 0x21 && codePoint <= 0x7E && codePoint != '"' && codePoint != '%') {
                encoded.append((char) codePoint);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    encoded.append('%').append(String.format("%02X", b & 0xFF));
                }
            }
            i += Character.charCount(codePoint);
        }
        return encoded.toString();
    }
}
