package io.herald.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.Violations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = """
            {"amount": 250, "country": "NL", "coupon": null, "customer": {"tier": "gold", "id": "c-1"},
             "lines": [{"sku": "A-1"}, {"sku": "B-2"}], "tags": ["new", "promo"]}""";

    private static boolean matches(String filter, String type, String subject) throws Exception {
        Violations violations = new Violations();
        EventFilter parsed = EventFilter.parse(JSON.readTree(filter), "/filter", violations);
        violations.throwIfAny();
        return parsed.matches(new EventFilter.Event(type, subject, "/shop", JSON.readTree(DATA)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|true",
                "{\"type\": [\"order.placed\"]}|true",
                "{\"type\": [\"order.refunded\", \"order.placed\"]}|true",
                "{\"type\": [\"order.refunded\"]}|false",
                "{\"type\": [{\"prefix\": \"order.\"}]}|true",
                "{\"subject\": [{\"prefix\": \"eu/\"}]}|true",
                "{\"subject\": [{\"exists\": false}]}|false",
                "{\"source\": [\"/shop\"]}|true",
                "{\"data\": {\"amount\": [{\"numeric\": [\">\", 100]}]}}|true",
                "{\"data\": {\"amount\": [{\"numeric\": [\">\", 100, \"<=\", 250]}]}}|true",
                "{\"data\": {\"amount\": [{\"numeric\": [\">\", 250]}]}}|false",
                "{\"data\": {\"amount\": [250.0]}}|true",
                "{\"data\": {\"country\": [\"NL\", \"BE\"]}}|true",
                "{\"data\": {\"country\": [{\"anything-but\": [\"NL\"]}]}}|false",
                "{\"data\": {\"country\": [{\"anything-but\": \"DE\"}]}}|true",
                "{\"data\": {\"coupon\": [{\"exists\": false}]}}|true",
                "{\"data\": {\"missing\": [{\"exists\": false}]}}|true",
                "{\"data\": {\"missing\": [{\"exists\": true}]}}|false",
                "{\"data\": {\"customer\": {\"tier\": [\"gold\"]}}}|true",
                "{\"data\": {\"customer\": {\"tier\": [\"silver\"]}}}|false",
                "{\"data\": {\"lines\": {\"sku\": [\"B-2\"]}}}|true",
                "{\"data\": {\"tags\": [\"promo\"]}}|true",
                "{\"data\": {\"tags\": [\"vip\"]}}|false",
                "{\"type\": [\"order.placed\"], \"data\": {\"country\": [\"DE\"]}}|false"
            })
    void matching(String filter, boolean expected) throws Exception {
        assertEquals(expected, matches(filter, "order.placed", "eu/customers/1"), filter);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[\"order.placed\"]|/filter",
                "{\"colour\": [\"red\"]}|/filter/colour",
                "{\"type\": \"order.placed\"}|/filter/type",
                "{\"type\": []}|/filter/type",
                "{\"data\": {\"amount\": [{\"numeric\": [\"~\", 1]}]}}|/filter/data/amount/0/numeric/0",
                "{\"data\": {\"amount\": [{\"between\": [1, 2]}]}}|/filter/data/amount/0/between",
                "{\"data\": {\"amount\": [{\"prefix\": 1, \"exists\": true}]}}|/filter/data/amount/0",
                "{\"data\": {}}|/filter/data"
            })
    void invalidFiltersSayWhere(String filter, String pointer) throws Exception {
        Violations violations = new Violations();
        EventFilter.parse(JSON.readTree(filter), "/filter", violations);
        ApiProblem problem = assertThrows(ApiProblem.class, violations::throwIfAny);
        assertEquals(pointer, problem.errors().get(0).pointer());
    }
}
