package io.herald.topic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.Violations;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"order", "order.placed", "billing.invoice-paid", "v2.orders.eu-west-1", "a1.b2"})
    void validNames(String name) {
        Violations violations = new Violations();
        TopicRules.checkName(name, violations);
        assertDoesNotThrow(violations::throwIfAny);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Order.placed|segment 'Order' must be lowercase",
                "order..placed|without empty ones",
                ".order|without empty ones",
                "order.|without empty ones",
                "order.-placed|segment '-placed'",
                "order.placed-|segment 'placed-'",
                "order_placed|segment 'order_placed'",
                "order.*|segment '*'",
                "herald.delivery.exhausted|reserved",
                "herald|reserved"
            })
    void invalidNamesSayWhy(String name, String reason) {
        Violations violations = new Violations();
        TopicRules.checkName(name, violations);
        ApiProblem problem = assertThrows(ApiProblem.class, violations::throwIfAny);
        assertEquals("/name", problem.errors().get(0).pointer());
        assertEquals(
                true,
                problem.errors().get(0).detail().contains(reason),
                problem.errors().get(0).detail());
    }

    @ParameterizedTest
    @CsvSource({"P7D,P7D", "PT168H,P7D", "PT36H,PT36H", "PT1H,PT1H", "P3650D,P3650D"})
    void retentionIsReadAndWrittenAsIso8601(String input, String shown) {
        Violations violations = new Violations();
        Duration retention = TopicRules.parseRetention(input, violations).orElseThrow();
        assertEquals(shown, TopicRules.format(retention));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7d", "P", "PT59M", "P3651D", "-P1D"})
    void retentionOutsideTheRulesIsRefused(String input) {
        Violations violations = new Violations();
        assertEquals(true, TopicRules.parseRetention(input, violations).isEmpty());
        ApiProblem problem = assertThrows(ApiProblem.class, violations::throwIfAny);
        assertEquals("/retention", problem.errors().get(0).pointer());
    }
}
