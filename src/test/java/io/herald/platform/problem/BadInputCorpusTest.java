package io.herald.platform.problem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.herald.testing.HeraldApi;
import io.herald.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of hostile input over every writing operation and the reading ones with ids and queries:
 * malformed JSON, encodings, control characters, limits and one past them, wrong types, huge and deep values, hostile
 * schemas and URLs, broken paths, queries and media types. For every case: no 5xx; a refusal is problem+json whose
 * {@code status} is the answer's and stores nothing; every answer comes within 2 s; and whatever was accepted reads
 * back as valid JSON, alone and in its list.
 */
@QuarkusTest
@Tag("external")
class BadInputCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "@@value@@";
    private static final long LIMIT_NANOS = 2_000_000_000L;
    /** Hostile values of a string field, as JSON text. */
    private static final List<String[]> STRINGS = List.of(
            new String[] {"nul", "\"a\\u0000b\""},
            new String[] {"controls", "\"a\\u0001\\u001fb\""},
            new String[] {"lone-surrogate", "\"a\\ud800b\""},
            new String[] {"bidi", "\"\\u202eabc\""},
            new String[] {"emoji", "\"" + "\uD83D\uDE00".repeat(300) + "\""},
            new String[] {"cjk-1100", "\"" + "漢".repeat(1100) + "\""},
            new String[] {"long-10000", "\"" + "x".repeat(10_000) + "\""},
            new String[] {"empty", "\"\""},
            new String[] {"blank", "\"   \""},
            new String[] {"integer", "123"},
            new String[] {"float", "1.5"},
            new String[] {"boolean", "true"},
            new String[] {"null", "null"},
            new String[] {"array", "[\"a\"]"},
            new String[] {"object", "{\"a\":1}"},
            new String[] {"sql", "\"'; drop table topics; --\""},
            new String[] {"markup", "\"<script>alert(1)</script>\""},
            new String[] {"newline", "\"a\\nb\""});
    /** Hostile values of a number field. */
    private static final List<String[]> NUMBERS = List.of(
            new String[] {"string", "\"5\""},
            new String[] {"fraction", "1.5"},
            new String[] {"negative", "-1"},
            new String[] {"zero", "0"},
            new String[] {"overflow", "1e999999"},
            new String[] {"huge", "99999999999999999999"},
            new String[] {"int32+1", "2147483648"},
            new String[] {"null", "null"},
            new String[] {"array", "[]"},
            new String[] {"boolean", "true"});
    /** Whole bodies that are not what any operation takes. */
    private static final List<Object[]> BODIES = List.of(
            new Object[] {"empty", new byte[0]},
            new Object[] {"truncated", bytes("{\"a\": ")},
            new Object[] {"array", bytes("[]")},
            new Object[] {"null", bytes("null")},
            new Object[] {"number", bytes("42")},
            new Object[] {"trailing", bytes("{} {}")},
            new Object[] {"duplicate-keys", bytes("{\"a\":1,\"a\":2}")},
            new Object[] {"deep-5000", bytes("[".repeat(5000) + "]".repeat(5000))},
            new Object[] {"invalid-utf8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}
            },
            new Object[] {"nan", bytes("{\"a\": NaN}")},
            new Object[] {"comment", bytes("{/* c */}")},
            new Object[] {"single-quotes", bytes("{'a': 1}")});

    private static final List<String[]> CONTENT_TYPES = List.of(
            new String[] {"none", null},
            new String[] {"text", "text/plain"},
            new String[] {"latin1", "application/json; charset=iso-8859-1"},
            new String[] {"multipart", "multipart/form-data; boundary=x"},
            new String[] {"form", "application/x-www-form-urlencoded"},
            new String[] {"three-parts", "a/b/c"},
            new String[] {"semicolons", ";;;"},
            new String[] {"no-subtype", "application"},
            new String[] {"xml", "application/xml"});
    private static final List<String[]> IDS = List.of(
            new String[] {"nul", "a%00b"},
            new String[] {"newline", "a%0Ab"},
            new String[] {"bad-utf8", "%ff%fe"},
            new String[] {"bad-escape", "%zz"},
            new String[] {"truncated-escape", "a%4"},
            new String[] {"long", "x".repeat(3000)},
            new String[] {"traversal", "..%2F..%2Fetc%2Fpasswd"},
            new String[] {"bidi", "%E2%80%AEabc"},
            new String[] {"sql", "'%3B%20drop%20table%20topics%3B--"},
            new String[] {"unicode", "%E6%BC%A2%E5%AD%97"});

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;

    private final AtomicInteger unique = new AtomicInteger();
    private String topic;

    record Case(String name, String method, String target, Map<String, String> headers, byte[] body) {
        /**
         * Whether the request breaks HTTP itself (a control character in a header value, a request target whose
         * percent-encoding does not decode): Vert.x's HTTP codec answers those with a bare 400 before any route runs.
         */
        boolean protocolError() {
            return headers.values().stream().anyMatch(value -> value.chars().anyMatch(c -> c < 0x20 && c != '\t'))
                    || target.matches(".*%([^0-9a-fA-F].|.[^0-9a-fA-F]|.?$).*");
        }
    }

    @Test
    void everyCaseIsRefusedPreciselyOrReadsBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        topic = "corpus.events-" + run;
        String schemaTopic = "corpus.schemas-" + run;
        String subscriptionTopic = "corpus.subscriptions-" + run;
        call("POST", "/api/v1/topics", json("{\"name\":\"" + topic + "\"}"), 201);
        call("POST", "/api/v1/topics", json("{\"name\":\"" + schemaTopic + "\",\"compatibility\":\"NONE\"}"), 201);
        call("POST", "/api/v1/topics", json("{\"name\":\"" + subscriptionTopic + "\"}"), 201);
        // A pattern that takes a backtracking engine minutes against the strings below.
        call(
                "POST",
                "/api/v1/topics/" + topic + "/schemas",
                json(
                        "{\"schema\":{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}}}}"),
                201);
        String source = JSON.readTree(call(
                                "POST",
                                "/api/v1/sources",
                                json("{\"kind\":\"hmac\",\"topic\":\"" + topic + "\",\"hmac\":{\"header\":\"X-Sig\"}}"),
                                201)
                        .body())
                .get("id")
                .asText();

        String subscription = JSON.readTree(call(
                                "POST",
                                "/api/v1/subscriptions",
                                json("{\"topic\":\"" + subscriptionTopic
                                        + "\",\"kind\":\"webhook\",\"webhook\":{\"url\":\"http://127.0.0.1:9/hook\"}}"),
                                201)
                        .body())
                .get("id")
                .asText();

        List<Case> cases = new ArrayList<>();
        operations(cases, subscription, source);
        topics(cases, schemaTopic);
        schemas(cases, schemaTopic);
        publishes(cases);
        subscriptions(cases, subscriptionTopic);
        sources(cases, source);
        apiKeys(cases);
        reads(cases);
        assertTrue(cases.size() >= 500, cases.size() + " cases");

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        String slowestCase = null;
        for (Case c : cases) {
            long[] before = counts();
            RawHttp.Answer answer = RawHttp.send(base.getPort(), c.method, c.target, c.headers, c.body);
            byStatus.merge(answer.status(), 1, Integer::sum);
            if (answer.nanos() > slowest) {
                slowest = answer.nanos();
                slowestCase = c.name;
            }
            String problem = judge(c, answer, before);
            if (problem != null) {
                failures.add(c.name + " -> " + answer.status() + ": " + problem + " | " + abbreviate(answer.text()));
            }
        }
        for (String list : List.of(
                "/api/v1/topics?limit=200",
                "/api/v1/subscriptions?limit=200",
                "/api/v1/sources",
                "/api/v1/api-keys",
                "/api/v1/events?limit=500&topic=" + topic,
                "/api/v1/events?limit=500",
                "/api/v1/topics/" + schemaTopic + "/schemas?limit=500")) {
            RawHttp.Answer answer = get(list);
            if (answer.status() != 200 || !validJson(answer.body())) {
                failures.add("list " + list + " -> " + answer.status() + " " + abbreviate(answer.text()));
            }
        }
        // The corpus' topics must not hold back retention for the tests after it (a P3650D topic keeps every
        // partition).
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("update topics set retention_seconds = 3600 where name like 'corpus.%'");
        }
        System.out.printf(
                "BAD-INPUT CORPUS: %d cases, by status %s; slowest %.0f ms (%s); %d failures%n",
                cases.size(), byStatus, slowest / 1e6, slowestCase, failures.size());
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + cases.size() + " cases failed:\n"
                        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    private String judge(Case c, RawHttp.Answer answer, long[] before) throws Exception {
        if (answer.nanos() > LIMIT_NANOS) {
            return "answered after " + answer.nanos() / 1_000_000 + " ms";
        }
        if (answer.status() >= 500) {
            return "server error";
        }
        if (answer.status() >= 400) {
            if (c.protocolError() && answer.status() == 400 && answer.body().length == 0) {
                // Refused by the HTTP codec before any of Herald runs (see README, Security): no body, nothing stored.
                return Arrays.equals(before, counts()) ? null : "refused, but stored something";
            }
            if (answer.header("content-type") == null
                    || !answer.header("content-type").startsWith("application/problem+json")) {
                return "refusal is not problem+json (" + answer.header("content-type") + ")";
            }
            JsonNode problem = JSON.readTree(answer.body());
            if (problem.path("status").asInt() != answer.status()
                    || !problem.path("detail").isTextual()) {
                return "problem body does not match the answer";
            }
            if (!Arrays.equals(before, counts())) {
                return "refused, but stored something: " + Arrays.toString(before) + " -> " + Arrays.toString(counts());
            }
            return null;
        }
        if (answer.body().length > 0 && !validJson(answer.body())) {
            return "accepted, but the answer is not JSON";
        }
        String location = answer.header("location");
        if (location != null) {
            RawHttp.Answer read = get(location.replaceFirst("^https?://[^/]+", ""));
            if (read.status() != 200 || !validJson(read.body())) {
                return "accepted, but " + location + " reads back " + read.status() + " " + abbreviate(read.text());
            }
        }
        if (c.target.endsWith("/events") && c.method.equals("POST")) {
            RawHttp.Answer page = get("/api/v1/events?limit=500&topic=" + topic);
            if (page.status() != 200 || !validJson(page.body())) {
                return "accepted, but the events page reads back " + page.status() + " " + abbreviate(page.text());
            }
        }
        return null;
    }

    // --- the corpus ------------------------------------------------------------------------------------------

    /** The other writing operations: changing a subscription, replay, redrive, checks, deliveries, keys, inbound webhooks. */
    private void operations(List<Case> cases, String subscription, String source) {
        String subscriptionPath = "/api/v1/subscriptions/" + subscription;
        fields(
                cases,
                "patch subscription",
                "PATCH",
                subscriptionPath,
                () -> "{\"name\":\"n\",\"state\":\"active\"," + "\"webhook\":{\"timeout\":\"PT5S\",\"maxInFlight\":5}}",
                List.of("name", "state", "webhook/timeout"),
                List.of("webhook/maxInFlight"));
        bodies(cases, "patch subscription", "PATCH", subscriptionPath, "{\"name\":\"n\"}");
        String replay =
                "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\",\"dryRun\":true,\"ratePerSecond\":10}";
        fields(
                cases,
                "replay",
                "POST",
                subscriptionPath + "/replay",
                () -> replay,
                List.of("from", "to"),
                List.of("ratePerSecond"));
        bodies(cases, "replay", "POST", subscriptionPath + "/replay", replay);
        for (String[] value : STRINGS) {
            cases.add(jsonCase(
                    "redrive id=" + value[0],
                    "POST",
                    subscriptionPath + "/redrive",
                    "{\"deliveryIds\":[" + value[1] + "]}"));
            cases.add(jsonCase(
                    "compatibility check pattern=" + value[0],
                    "POST",
                    "/api/v1/topics/" + topic + "/schemas/compatibility",
                    "{\"schema\":{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":"
                            + value[1] + "}}}}"));
            cases.add(jsonCase(
                    "validate sample s=" + value[0],
                    "POST",
                    "/api/v1/topics/" + topic + "/schemas/1/validate",
                    "{\"s\":" + value[1] + "}"));
        }
        bodies(cases, "redrive", "POST", subscriptionPath + "/redrive", "{\"deliveryIds\":[]}");
        bodies(
                cases,
                "compatibility check",
                "POST",
                "/api/v1/topics/" + topic + "/schemas/compatibility",
                "{\"schema\":{}}");
        cases.add(jsonCase(
                "validate evil sample",
                "POST",
                "/api/v1/topics/" + topic + "/schemas/1/validate",
                "{\"s\":\"" + "a".repeat(200_000) + "!\"}"));
        for (String[] id : IDS) {
            for (String action : List.of("retry", "discard", "attempts")) {
                cases.add(new Case(
                        "delivery " + action + " id=" + id[0],
                        action.equals("attempts") ? "GET" : "POST",
                        "/api/v1/deliveries/" + id[1] + "/" + action,
                        headers(null),
                        null));
            }
            cases.add(
                    new Case("revoke API key id=" + id[0], "DELETE", "/api/v1/api-keys/" + id[1], headers(null), null));
            cases.add(new Case(
                    "delete subscription id=" + id[0],
                    "DELETE",
                    "/api/v1/subscriptions/" + id[1],
                    headers(null),
                    null));
            cases.add(new Case(
                    "replay progress id=" + id[0], "GET", subscriptionPath + "/replays/" + id[1], headers(null), null));
            cases.add(new Case(
                    "inbound webhook to source id=" + id[0],
                    "POST",
                    "/ingest/" + id[1],
                    headers("application/json"),
                    bytes("{}")));
        }
        for (Object[] body : BODIES) {
            cases.add(new Case(
                    "inbound webhook body " + body[0], "POST", "/ingest/" + source, headers("application/json"), (byte
                                    [])
                            body[1]));
        }
        for (String[] type : CONTENT_TYPES) {
            cases.add(new Case(
                    "inbound webhook content type " + type[0],
                    "POST",
                    "/ingest/" + source,
                    headers(type[1]),
                    bytes("{}")));
        }
    }

    private void topics(List<Case> cases, String schemaTopic) {
        String create = "{\"name\":\"" + MARK
                + "\",\"description\":\"d\",\"owner\":\"o\",\"retention\":\"P1D\",\"compatibility\":\"BACKWARD\"}";
        fields(
                cases,
                "create topic",
                "POST",
                "/api/v1/topics",
                () -> "{\"name\":\"corpus.t" + unique.incrementAndGet() + "\","
                        + "\"description\":\"d\",\"owner\":\"o\",\"retention\":\"P1D\",\"compatibility\":\"BACKWARD\"}",
                List.of("description", "owner", "retention", "compatibility"),
                List.of());
        for (String[] value : STRINGS) {
            cases.add(jsonCase(
                    "create topic name=" + value[0],
                    "POST",
                    "/api/v1/topics",
                    create.replace("\"" + MARK + "\"", value[1])));
        }
        for (String name :
                List.of("a".repeat(200), "a".repeat(201), "herald.mine", "Upper.case", "a..b", "-a", "a.", "a b")) {
            cases.add(jsonCase(
                    "create topic name '" + abbreviate(name) + "'",
                    "POST",
                    "/api/v1/topics",
                    create.replace(
                            MARK,
                            name.equals("a".repeat(200)) ? "c" + unique.incrementAndGet() + "a".repeat(190) : name)));
        }
        for (String description : List.of("d".repeat(2000), "d".repeat(2001))) {
            cases.add(jsonCase(
                    "create topic description " + description.length(),
                    "POST",
                    "/api/v1/topics",
                    "{\"name\":\"corpus.t" + unique.incrementAndGet() + "\",\"description\":\"" + description + "\"}"));
        }
        for (String retention : List.of("PT59M", "PT1H", "P3650D", "P3651D", "P-1D", "P99999999999D", "7 days")) {
            cases.add(jsonCase(
                    "create topic retention " + retention,
                    "POST",
                    "/api/v1/topics",
                    "{\"name\":\"corpus.t" + unique.incrementAndGet() + "\",\"retention\":\"" + retention + "\"}"));
        }
        fields(
                cases,
                "patch topic",
                "PATCH",
                "/api/v1/topics/" + schemaTopic,
                () -> "{\"description\":\"d\",\"owner\":\"o\",\"retention\":\"P2D\"}",
                List.of("description", "owner", "retention"),
                List.of());
        bodies(
                cases,
                "create topic",
                "POST",
                "/api/v1/topics",
                "{\"name\":\"corpus.t" + unique.incrementAndGet() + "\"}");
        bodies(cases, "patch topic", "PATCH", "/api/v1/topics/" + schemaTopic, "{\"description\":\"d\"}");
        for (String system : List.of("herald.delivery.exhausted", "herald.subscription.disabled")) {
            cases.add(jsonCase(
                    "patch system topic " + system, "PATCH", "/api/v1/topics/" + system, "{\"description\":\"mine\"}"));
            cases.add(new Case(
                    "delete system topic " + system, "DELETE", "/api/v1/topics/" + system, headers(null), null));
            cases.add(jsonCase(
                    "schema on system topic " + system,
                    "POST",
                    "/api/v1/topics/" + system + "/schemas",
                    "{\"schema\":false}"));
            cases.add(jsonCase(
                    "publish to system topic " + system,
                    "POST",
                    "/api/v1/topics/" + system + "/events",
                    "{\"forged\":true}"));
        }
    }

    private void schemas(List<Case> cases, String schemaTopic) {
        String path = "/api/v1/topics/" + schemaTopic + "/schemas";
        for (String[] value : STRINGS) {
            cases.add(jsonCase(
                    "schema pattern=" + value[0],
                    "POST",
                    path,
                    "{\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":"
                            + value[1] + "}}}}"));
            cases.add(jsonCase("schema type=" + value[0], "POST", path, "{\"schema\":{\"type\":" + value[1] + "}}"));
        }
        List<String> patterns = List.of(
                "(x+x+)+y",
                "^(a+)+$",
                "(?=a)b",
                "(?!a)b",
                "(?<=a)b",
                "(a)\\\\1",
                "((a{1000}){1000}){1000}",
                "(a{1000}){2}",
                "[a-z]{0,1000}",
                "(",
                "[",
                "a{2,1}",
                "\\\\p{Nope}",
                "x".repeat(1001),
                "^\\\\u0041$",
                "\\\\d{4}");
        for (String pattern : patterns) {
            cases.add(jsonCase(
                    "schema pattern '" + abbreviate(pattern) + "'",
                    "POST",
                    path,
                    "{\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\""
                            + pattern + "\"}}}}"));
            cases.add(jsonCase(
                    "schema patternProperties '" + abbreviate(pattern) + "'",
                    "POST",
                    path,
                    "{\"schema\":{\"type\":\"object\",\"patternProperties\":{\"" + pattern
                            + "\":{\"type\":\"string\"}}}}"));
        }
        for (int depth : new int[] {50, 79, 80, 81, 450, 990}) {
            String nested = "{\"type\":\"object\",\"properties\":{\"a\":".repeat(depth) + "{}" + "}}".repeat(depth);
            cases.add(jsonCase("schema nested " + depth, "POST", path, "{\"schema\":" + nested + "}"));
        }
        StringBuilder bigEnum = new StringBuilder("{\"schema\":{\"enum\":[");
        for (int i = 0; i < 20_000; i++) {
            bigEnum.append(i == 0 ? "" : ",").append(i);
        }
        cases.add(jsonCase("schema enum of 20000", "POST", path, bigEnum + "]}}"));
        for (String schema : List.of(
                "false",
                "true",
                "{\"$ref\":\"http://169.254.169.254/schema\"}",
                "{\"$ref\":\"file:///etc/passwd\"}",
                "{\"$schema\":\"http://example.com/mine\"}",
                "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\"}",
                "{\"minLength\":-1}",
                "{\"type\":\"nope\"}",
                "{\"format\":\"regex\"}",
                "{\"multipleOf\":0}",
                "{\"maximum\":1e999999}",
                "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}",
                "[]",
                "\"x\"",
                "null")) {
            cases.add(jsonCase("schema " + abbreviate(schema), "POST", path, "{\"schema\":" + schema + "}"));
        }
        bodies(cases, "register schema", "POST", path, "{\"schema\":{}}");
    }

    private void publishes(List<Case> cases) {
        String path = "/api/v1/topics/" + topic + "/events";
        for (String[] value : STRINGS) {
            cases.add(jsonCase("publish data s=" + value[0], "POST", path, "{\"s\":" + value[1] + "}"));
        }
        for (String[] value : NUMBERS) {
            cases.add(jsonCase("publish data n=" + value[0], "POST", path, "{\"n\":" + value[1] + "}"));
        }
        cases.add(jsonCase("publish evil string 100000", "POST", path, "{\"s\":\"" + "a".repeat(100_000) + "!\"}"));
        cases.add(jsonCase("publish evil string 1 MB", "POST", path, "{\"s\":\"" + "a".repeat(1_000_000) + "!\"}"));
        cases.add(jsonCase("publish 2 MB", "POST", path, "{\"s\":\"" + "b".repeat(2_000_000) + "\"}"));
        for (int depth : new int[] {63, 64, 65, 998, 1200}) {
            cases.add(jsonCase("publish batch depth " + depth, "POST", path, "[".repeat(depth) + "]".repeat(depth)));
            cases.add(jsonCase(
                    "publish data depth " + depth,
                    "POST",
                    path,
                    "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)));
        }
        cases.add(new Case(
                "publish with BOM",
                "POST",
                path,
                headers("application/json"),
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes("{\"s\":\"a\"}"))));
        cases.add(new Case(
                "publish UTF-16",
                "POST",
                path,
                headers("application/json"),
                "{\"s\":\"a\"}".getBytes(StandardCharsets.UTF_16)));
        cases.add(new Case(
                "publish UTF-16LE",
                "POST",
                path,
                headers("application/json"),
                "{\"s\":\"a\"}".getBytes(StandardCharsets.UTF_16LE)));
        bodies(cases, "publish", "POST", path, "{\"s\":\"a\"}");
        for (String header : List.of(
                "Herald-Event-Id",
                "Herald-Event-Type",
                "Herald-Event-Source",
                "Herald-Event-Subject",
                "Herald-Schema-Version")) {
            for (String[] value : new String[][] {
                {"control", "a\u0001b"},
                {"long-1025", "x".repeat(1025)},
                {"long-256", "x".repeat(256)},
                {"cjk-1024", "漢".repeat(1024)},
                {"zero", "0"},
                {"minus", "-1"},
                {"huge", "99999999999"}
            }) {
                Map<String, String> headers = headers("application/json");
                headers.put(header, value[1]);
                cases.add(new Case(
                        "publish header " + header + "=" + value[0], "POST", path, headers, bytes("{\"s\":\"a\"}")));
            }
        }
        String structured =
                "{\"specversion\":\"1.0\",\"id\":\"ID\",\"source\":\"/corpus\",\"type\":\"corpus.t\",\"subject\":\"s\","
                        + "\"time\":\"2026-01-01T00:00:00Z\",\"datacontenttype\":\"application/json\",\"myext\":\"x\",\"data\":{\"s\":\"a\"}}";
        for (String attribute :
                List.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "myext")) {
            for (String[] value : STRINGS) {
                ObjectNode event = (ObjectNode) tree(structured.replace("ID", "c" + unique.incrementAndGet()));
                event.put(attribute, MARK);
                cases.add(new Case(
                        "structured " + attribute + "=" + value[0],
                        "POST",
                        path,
                        headers("application/cloudevents+json"),
                        bytes(event.toString().replace("\"" + MARK + "\"", value[1]))));
            }
        }
        for (String time : List.of(
                "+99999-01-01T00:00:00Z",
                "99999-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-01-01",
                "2026-01-01T00:00:00",
                "2026-01-01t00:00:00z",
                "9999-12-31T23:59:59.999999999+14:00",
                "2026-02-30T00:00:00Z")) {
            cases.add(new Case(
                    "structured time " + time,
                    "POST",
                    path,
                    headers("application/cloudevents+json"),
                    bytes(structured
                            .replace("ID", "c" + unique.incrementAndGet())
                            .replace("2026-01-01T00:00:00Z", time))));
        }
        cases.add(new Case(
                "structured without specversion",
                "POST",
                path,
                headers("application/cloudevents+json"),
                bytes(structured
                        .replace("ID", "c" + unique.incrementAndGet())
                        .replace("\"specversion\":\"1.0\",", ""))));
        cases.add(new Case(
                "structured data_base64",
                "POST",
                path,
                headers("application/cloudevents+json"),
                bytes(structured
                        .replace("ID", "c" + unique.incrementAndGet())
                        .replace("\"data\":{\"s\":\"a\"}", "\"data_base64\":\"AAAA\""))));
        for (String[] value : NUMBERS) {
            cases.add(new Case(
                    "structured extension=" + value[0],
                    "POST",
                    path,
                    headers("application/cloudevents+json"),
                    bytes(structured
                            .replace("ID", "c" + unique.incrementAndGet())
                            .replace("\"myext\":\"x\"", "\"myext\":" + value[1]))));
        }
        for (String name : List.of("Upper", "with-dash", "x".repeat(21), "", "é")) {
            cases.add(new Case(
                    "structured extension name '" + name + "'",
                    "POST",
                    path,
                    headers("application/cloudevents+json"),
                    bytes(structured
                            .replace("ID", "c" + unique.incrementAndGet())
                            .replace("\"myext\"", "\"" + name + "\""))));
        }
        for (String header : List.of(
                "ce-id",
                "ce-source",
                "ce-type",
                "ce-subject",
                "ce-time",
                "ce-specversion",
                "ce-myext",
                "ce-Bad_Name",
                "ce-dataschema",
                "ce-schemaversion")) {
            for (String[] value : new String[][] {
                {"control", "a\u0001b"},
                {"long-1025", "x".repeat(1025)},
                {"cjk-400", "漢".repeat(400)},
                {"empty", ""},
                {"time-like", "+99999-01-01T00:00:00Z"}
            }) {
                Map<String, String> headers = headers("application/json");
                headers.put("ce-specversion", "1.0");
                headers.put("ce-id", "b" + unique.incrementAndGet());
                headers.put("ce-source", "/corpus");
                headers.put("ce-type", "corpus.t");
                headers.put(header, value[1]);
                cases.add(new Case("binary " + header + "=" + value[0], "POST", path, headers, bytes("{\"s\":\"a\"}")));
            }
        }
        String batchItem = structured.replace("\"ID\"", "\"" + MARK + "\"");
        cases.add(new Case("batch empty", "POST", path, headers("application/cloudevents-batch+json"), bytes("[]")));
        cases.add(new Case(
                "batch one poison",
                "POST",
                path,
                headers("application/cloudevents-batch+json"),
                bytes("[" + batchItem.replace(MARK, "ok" + unique.incrementAndGet()) + ","
                        + batchItem.replace(MARK, "bad\\u0000") + "]")));
        cases.add(new Case(
                "batch of 501",
                "POST",
                path,
                headers("application/cloudevents-batch+json"),
                bytes("[" + String.join(",", java.util.Collections.nCopies(501, "{\"s\":\"a\"}")) + "]")));
        cases.add(new Case(
                "batch not CloudEvents", "POST", path, headers("application/cloudevents-batch+json"), bytes("[1,2]")));
        cases.add(new Case(
                "plain batch", "POST", path, headers("application/json"), bytes("[{\"s\":\"a\"},{\"s\":\"aa\"}]")));
    }

    private void subscriptions(List<Case> cases, String subscriptionTopic) {
        String base = "{\"name\":\"s\",\"topic\":\"" + subscriptionTopic
                + "\",\"kind\":\"webhook\",\"webhook\":{\"url\":\"http://127.0.0.1:9/hook\","
                + "\"timeout\":\"PT5S\",\"format\":\"standard-webhooks\",\"retrySchedule\":[\"PT1S\"],\"maxInFlight\":5,\"maxPerSecond\":10,"
                + "\"headers\":{\"X-A\":\"b\"}}}";
        fields(
                cases,
                "create subscription",
                "POST",
                "/api/v1/subscriptions",
                () -> base,
                List.of(
                        "name",
                        "topic",
                        "kind",
                        "webhook/url",
                        "webhook/timeout",
                        "webhook/format",
                        "webhook/headers/X-A"),
                List.of("webhook/maxInFlight", "webhook/maxPerSecond"));
        for (String url : List.of(
                "http://10.0.0.1/",
                "http://[::127.0.0.1]/",
                "http://[::ffff:10.0.0.1]/",
                "http://[64:ff9b::7f00:1]/",
                "http://0177.0.0.1/",
                "http://0x7f000001/",
                "http://2130706433/",
                "http://198.18.0.1/",
                "http://240.0.0.1/",
                "http://255.255.255.255/",
                "http://169.254.169.254/latest/meta-data",
                "http://u:p@127.0.0.1:9/",
                "http://127.0.0.1:99999/",
                "http://127.0.0.1:0/",
                "ftp://127.0.0.1/",
                "http://",
                "javascript:alert(1)",
                "http://127.0.0.1:9/" + "x".repeat(3000),
                "http://[::1/",
                "http://exa mple/")) {
            cases.add(jsonCase(
                    "subscription url " + abbreviate(url),
                    "POST",
                    "/api/v1/subscriptions",
                    base.replace("http://127.0.0.1:9/hook", url)));
        }
        for (String schedule : List.of(
                "[]",
                "[\"x\"]",
                "[1]",
                "[\"P2D\"]",
                "[\"PT-1S\"]",
                "[" + String.join(",", java.util.Collections.nCopies(21, "\"PT1S\"")) + "]",
                "\"PT1S\"",
                "null")) {
            cases.add(jsonCase(
                    "subscription retrySchedule " + abbreviate(schedule),
                    "POST",
                    "/api/v1/subscriptions",
                    base.replace("[\"PT1S\"]", schedule)));
        }
        for (String headers : List.of(
                "{\"Host\":\"x\"}",
                "{\"X-A\":\"a\\r\\nb\"}",
                "{\"Bad Name\":\"x\"}",
                "{\"\":\"x\"}",
                "{\"X-A\":1}",
                "{\"webhook-signature\":\"x\"}")) {
            cases.add(jsonCase(
                    "subscription headers " + headers,
                    "POST",
                    "/api/v1/subscriptions",
                    base.replace("{\"X-A\":\"b\"}", headers)));
        }
        for (String filter : List.of(
                "{\"type\":\"x\"}",
                "{\"type\":[{\"regex\":\"(a+)+\"}]}",
                "[]",
                "{\"data\":{\"a\":[{\"nope\":1}]}}",
                "\"x\"",
                "{\"" + "a/".repeat(200) + "\":[\"x\"]}")) {
            cases.add(jsonCase(
                    "subscription filter " + abbreviate(filter),
                    "POST",
                    "/api/v1/subscriptions",
                    base.replace("\"kind\":\"webhook\"", "\"kind\":\"webhook\",\"filter\":" + filter)));
        }
        bodies(cases, "create subscription", "POST", "/api/v1/subscriptions", base);
    }

    private void sources(List<Case> cases, String source) {
        String base = "{\"name\":\"n\",\"kind\":\"hmac\",\"topic\":\"" + topic
                + "\",\"hmac\":{\"header\":\"X-Sig\",\"algorithm\":\"sha256\","
                + "\"encoding\":\"hex\",\"prefix\":\"sha256=\"},\"typeHeader\":\"X-Type\",\"typePointer\":\"/type\",\"dedupHeader\":\"X-Id\","
                + "\"tolerance\":\"PT5M\"}";
        fields(
                cases,
                "create source",
                "POST",
                "/api/v1/sources",
                () -> base,
                List.of(
                        "name",
                        "kind",
                        "topic",
                        "hmac/header",
                        "hmac/algorithm",
                        "hmac/encoding",
                        "hmac/prefix",
                        "typeHeader",
                        "typePointer",
                        "dedupHeader",
                        "tolerance"),
                List.of());
        cases.add(jsonCase(
                "source on system topic",
                "POST",
                "/api/v1/sources",
                base.replace("\"topic\":\"" + topic + "\"", "\"topic\":\"herald.delivery.exhausted\"")));
        for (int length : new int[] {7, 8, 500, 501, 5000}) {
            cases.add(jsonCase(
                    "rotate source secret " + length,
                    "POST",
                    "/api/v1/sources/" + source + "/secret/rotate",
                    "{\"secret\":\"" + "s".repeat(length) + "\"}"));
        }
        for (String[] value : STRINGS) {
            cases.add(jsonCase(
                    "rotate source secret=" + value[0],
                    "POST",
                    "/api/v1/sources/" + source + "/secret/rotate",
                    "{\"secret\":" + value[1] + "}"));
        }
        bodies(cases, "create source", "POST", "/api/v1/sources", base);
    }

    private void apiKeys(List<Case> cases) {
        String base =
                "{\"name\":\"k\",\"role\":\"viewer\",\"topicPatterns\":[\"orders.*\"],\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
        fields(
                cases,
                "create API key",
                "POST",
                "/api/v1/api-keys",
                () -> base,
                List.of("name", "role", "expiresAt", "topicPatterns/0"),
                List.of());
        for (String expiry : List.of(
                "+99999-01-01T00:00:00Z",
                "99999-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2000-01-01T00:00:00Z",
                "2030-01-01",
                "tomorrow")) {
            cases.add(jsonCase(
                    "API key expiresAt " + expiry,
                    "POST",
                    "/api/v1/api-keys",
                    base.replace("2030-01-01T00:00:00Z", expiry)));
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            many.append(i == 0 ? "" : ",").append("\"orders.o").append(i).append("\"");
        }
        cases.add(jsonCase(
                "API key 3000 patterns", "POST", "/api/v1/api-keys", base.replace("[\"orders.*\"]", "[" + many + "]")));
        for (String pattern : List.of("", "**.**", "a..b", "herald.*", "x".repeat(300))) {
            cases.add(jsonCase(
                    "API key pattern '" + abbreviate(pattern) + "'",
                    "POST",
                    "/api/v1/api-keys",
                    base.replace("orders.*", pattern)));
        }
        bodies(cases, "create API key", "POST", "/api/v1/api-keys", base);
    }

    private void reads(List<Case> cases) {
        for (String resource : List.of(
                "/api/v1/events/",
                "/api/v1/topics/",
                "/api/v1/subscriptions/",
                "/api/v1/sources/",
                "/api/v1/api-keys/",
                "/api/v1/deliveries/",
                "/api/v1/topics/" + "x/schemas/")) {
            for (String[] id : IDS) {
                cases.add(new Case("GET " + resource + " id=" + id[0], "GET", resource + id[1], headers(null), null));
            }
        }
        for (int length : new int[] {5_000, 8_300, 20_000}) {
            cases.add(new Case(
                    "GET a " + length + "-character URL",
                    "GET",
                    "/api/v1/events?topic=" + "x".repeat(length),
                    headers(null),
                    null));
        }
        for (int size : new int[] {10_000, 17_000, 30_000}) {
            Map<String, String> big = headers(null);
            big.put("X-Padding", "p".repeat(size));
            cases.add(new Case("GET with " + size + " bytes of headers", "GET", "/api/v1/topics", big, null));
        }
        for (String[] id : IDS) {
            cases.add(jsonCase("publish to topic " + id[0], "POST", "/api/v1/topics/" + id[1] + "/events", "{}"));
            cases.add(new Case("delete topic " + id[0], "DELETE", "/api/v1/topics/" + id[1], headers(null), null));
        }
        for (String query : List.of(
                "limit=-1",
                "limit=0",
                "limit=501",
                "limit=abc",
                "limit=1e3",
                "limit=99999999999",
                "after=garbage",
                "after=%00",
                "after=" + "A".repeat(2000),
                "from=yesterday",
                "from=%2B99999-01-01T00:00:00Z",
                "to=2026-13-01T00:00:00Z",
                "topic=%00",
                "type=a%00",
                "subject=%ff",
                "topic=" + "x".repeat(3000),
                "limit=1&limit=2",
                "%zz=1")) {
            cases.add(new Case(
                    "list events " + abbreviate(query), "GET", "/api/v1/events?" + query, headers(null), null));
            cases.add(new Case(
                    "list topics " + abbreviate(query), "GET", "/api/v1/topics?" + query, headers(null), null));
        }
    }

    // --- building cases ---------------------------------------------------------------------------------------

    /** Every hostile string at each string field, and every hostile number at each number field, of a valid body. */
    private void fields(
            List<Case> cases,
            String operation,
            String method,
            String path,
            java.util.function.Supplier<String> valid,
            List<String> stringFields,
            List<String> numberFields) {
        for (String field : stringFields) {
            for (String[] value : STRINGS) {
                cases.add(jsonCase(
                        operation + " " + field + "=" + value[0], method, path, with(valid.get(), field, value[1])));
            }
        }
        for (String field : numberFields) {
            for (String[] value : NUMBERS) {
                cases.add(jsonCase(
                        operation + " " + field + "=" + value[0], method, path, with(valid.get(), field, value[1])));
            }
        }
    }

    /** Broken bodies and media types for an operation. */
    private void bodies(List<Case> cases, String operation, String method, String path, String valid) {
        for (Object[] body : BODIES) {
            cases.add(new Case(
                    operation + " body " + body[0], method, path, headers("application/json"), (byte[]) body[1]));
        }
        for (String[] type : CONTENT_TYPES) {
            cases.add(new Case(operation + " content type " + type[0], method, path, headers(type[1]), bytes(valid)));
        }
        cases.add(new Case(
                operation + " UTF-16",
                method,
                path,
                headers("application/json"),
                valid.getBytes(StandardCharsets.UTF_16)));
        cases.add(new Case(
                operation + " unknown field",
                method,
                path,
                headers("application/json"),
                bytes(valid.replaceFirst("\\{", "{\"unknownField\":1,"))));
    }

    private static String with(String body, String pointer, String literal) {
        ObjectNode tree = (ObjectNode) tree(body);
        String[] path = pointer.split("/");
        JsonNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.get(path[i]);
        }
        String last = path[path.length - 1];
        if (node.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) node)
                    .set(Integer.parseInt(last), JSON.getNodeFactory().textNode(MARK));
        } else {
            ((ObjectNode) node).put(last, MARK);
        }
        return tree.toString().replace("\"" + MARK + "\"", literal);
    }

    private static Case jsonCase(String name, String method, String path, String body) {
        return new Case(name, method, path, headers("application/json"), bytes(body));
    }

    private static Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-API-Key", HeraldApi.ADMIN_KEY);
        headers.put("Accept", "application/json, application/problem+json");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private RawHttp.Answer call(String method, String path, byte[] body, int expected) throws Exception {
        RawHttp.Answer answer = RawHttp.send(base.getPort(), method, path, headers("application/json"), body);
        assertTrue(answer.status() == expected, method + " " + path + " -> " + answer.status() + " " + answer.text());
        return answer;
    }

    private RawHttp.Answer get(String path) throws Exception {
        return RawHttp.send(base.getPort(), "GET", path, headers(null), null);
    }

    /** Rows a refused request must not have added to. */
    private long[] counts() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "select (select count(*) from topics), (select count(*) from schema_versions), "
                                + "(select count(*) from subscriptions), (select count(*) from sources), (select count(*) from api_keys), "
                                + "(select count(*) from events where topic like 'corpus.%'), (select count(*) from event_keys)")) {
            rs.next();
            long[] counts = new long[7];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = rs.getLong(i + 1);
            }
            return counts;
        }
    }

    private static boolean validJson(byte[] body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static byte[] json(String text) {
        return bytes(text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
