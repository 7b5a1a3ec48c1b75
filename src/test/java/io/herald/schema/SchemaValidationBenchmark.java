package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import io.herald.testing.OrderFixtures;
import java.util.List;

/**
 * Validations per second of a realistic ~1 KB order event against a ~40-property schema, on one thread, through the
 * same compile-and-validate path as the registry. Not a test: run with {@code bench/schema-validation.sh}.
 */
public final class SchemaValidationBenchmark {

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        SchemaDocuments documents = new SchemaDocuments(json);
        JsonNode schemaNode = json.readTree(OrderFixtures.SCHEMA);
        Schema schema = documents.compile(SchemaDialect.DRAFT_2020_12, schemaNode);
        JsonNode event = json.readTree(OrderFixtures.EVENT);
        List<?> errors = schema.validate(event);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("The benchmark event must be valid: " + errors);
        }
        int properties = schemaNode.get("properties").size();
        int bytes = json.writeValueAsBytes(event).length;
        long warmupNanos = seconds(args, 0, 5) * 1_000_000_000L;
        long measureNanos = seconds(args, 1, 10) * 1_000_000_000L;
        run(schema, event, warmupNanos);
        long count = run(schema, event, measureNanos);
        System.out.printf(
                "schema validation: %d-property schema, %d-byte event, 1 thread: %,.0f validations/s%n",
                properties, bytes, count / (measureNanos / 1e9));
    }

    private static long run(Schema schema, JsonNode event, long nanos) {
        long count = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                if (!schema.validate(event).isEmpty()) {
                    throw new IllegalStateException("validation result changed");
                }
            }
            count += 1000;
        }
        return count;
    }

    private static long seconds(String[] args, int index, long fallback) {
        return args.length > index ? Long.parseLong(args[index]) : fallback;
    }
}
