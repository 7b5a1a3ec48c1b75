package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPatternTest {

    @ParameterizedTest
    @CsvSource({
        "order.placed,order.placed,true",
        "order.placed,order.placed.eu,false",
        "order.*,order.placed,true",
        "order.*,order.placed.eu,false",
        "order.*,order,false",
        "*.placed,order.placed,true",
        "order.**,order.placed,true",
        "order.**,order.placed.eu,true",
        "order.**,order,false",
        "order.**,billing.invoice,false"
    })
    void matching(String pattern, String topic, boolean expected) {
        assertEquals(expected, TopicPattern.of(pattern).matches(topic), pattern + " ~ " + topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Order.*", "order.**.eu", "order..placed", "order.p*", "order.***"})
    void invalidPatterns(String pattern) {
        assertNotNull(TopicPattern.problem(pattern), pattern);
    }
}
