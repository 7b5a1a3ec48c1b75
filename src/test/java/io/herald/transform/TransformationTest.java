package io.herald.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The language's rules as Herald applies them: what compiles, what a result may be, and the bounds. */
class TransformationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Transformation.Bounds BOUNDS = new Transformation.Bounds(Duration.ofMillis(100), 200);

    private static JsonNode event() throws Exception {
        return JSON.readTree("""
                {"specversion": "1.0", "id": "e-1", "source": "/shop", "type": "order.placed",
                 "datacontenttype": "application/json",
                 "data": {"orderId": "o-1", "items": [{"price": 2.5}, {"price": 4}], "amount": 5}}""");
    }

    private static Transformation.Result run(String expression) throws Exception {
        return Transformation.compile(expression).apply(event(), BOUNDS, JSON);
    }

    private static TransformationException failure(String expression) {
        return assertThrows(TransformationException.class, () -> run(expression));
    }

    @Test
    void aResultCarriesTheBodyAndHeadersItBuilds() throws Exception {
        Transformation.Result result = run(
                "{\"body\": {\"order\": data.orderId, \"total\": $sum(data.items.price)}, \"headers\": {\"X-Type\": type}}");
        assertEquals(JSON.readTree("{\"order\": \"o-1\", \"total\": 6.5}"), result.body());
        assertEquals(Map.of("X-Type", "order.placed"), result.headers());
        assertFalse(result.skip());
    }

    @Test
    void withoutABodyTheDataIsDeliveredAsItIs() throws Exception {
        Transformation.Result result = run("{\"headers\": {\"X-Source\": source}}");
        assertNull(result.body(), "no body: the delivery keeps the event's data");
        assertEquals(Map.of("X-Source", "/shop"), result.headers());
    }

    @Test
    void aTransformationCanSkipAnEvent() throws Exception {
        assertTrue(run("data.amount < 10 ? {\"skip\": true} : {}").skip());
        assertFalse(run("data.amount > 10 ? {\"skip\": true} : {}").skip());
    }

    @Test
    void aSyntaxErrorNamesItsCodeAndPosition() {
        TransformationException error =
                assertThrows(TransformationException.class, () -> Transformation.compile("{\"body\": data."));
        assertEquals("S0203", error.code());
        assertEquals(14, error.position());
        assertTrue(error.describe().startsWith("at position 14: "), error.describe());
    }

    @Test
    void anEmptyOrOverlongExpressionIsRefused() {
        assertThrows(TransformationException.class, () -> Transformation.compile(" "));
        assertThrows(
                TransformationException.class,
                () -> Transformation.compile("1" + " ".repeat(Transformation.MAX_SOURCE_CHARS)));
    }

    @Test
    void resultsADeliveryCannotCarryAreRefusedWithTheReason() {
        assertEquals("H0001", failure("data.missing").code());
        assertEquals("H0002", failure("\"text\"").code());
        assertEquals("H0003", failure("{\"bdy\": 1}").code());
        assertEquals("H0004", failure("{\"skip\": \"yes\"}").code());
        assertEquals(
                "H0006",
                failure("{\"headers\": {\"webhook-signature\": \"forged\"}}").code());
        assertEquals(
                "H0006",
                failure("{\"headers\": {\"Authorization\": \"Bearer x\"}}").code());
        assertEquals("H0006", failure("{\"headers\": {\"X-N\": 1}}").code());
        assertEquals("H0006", failure("{\"headers\": {\"bad name\": \"x\"}}").code());
        assertEquals("H0007", failure("{\"body\": function($x) {$x}}").code());
    }

    @Test
    void anEndlessLoopRunsOutOfTime() {
        long started = System.nanoTime();
        TransformationException error = failure("( $f := function($x) { $f($x + 1) }; $f(0) )");
        assertTrue(error.getMessage().contains("ran out of time"), error.getMessage());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "stopped near its bound");
    }

    @Test
    void padIsCappedSinceItsCostGrowsWithItsArgument() throws Exception {
        TransformationException error = failure("{\"body\": $pad(\"\", 100000000, \"x\")}");
        assertTrue(error.getMessage().contains("$pad"), error.getMessage());
        assertEquals(
                JSON.getNodeFactory().textNode("ab   "),
                run("{\"body\": $pad(\"ab\", 5)}").body());
    }

    @Test
    void aRuntimeErrorIsReportedWithJsonatasCode() {
        TransformationException error = failure("{\"body\": $error(\"no customer\")}");
        assertEquals("no customer", error.getMessage());
        assertEquals("D3137", error.code());
    }

    @Test
    void anOversizedBodyIsRefused() {
        assertEquals("H0005", failure("{\"body\": [1..200000]}").code());
    }
}
