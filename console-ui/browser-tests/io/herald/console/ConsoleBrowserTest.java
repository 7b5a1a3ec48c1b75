package io.herald.console;

import io.herald.testing.WebhookReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's main path in a real browser: sign in, create a topic, register a schema, create a webhook
 * subscription, see a posted event delivered, watch the endpoint fail into retries and dead letters, redrive it, and
 * check what a viewer may do. Screenshots of each page land in target/console-screenshots.
 */
@QuarkusTest
class ConsoleBrowserTest {
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {"orderId": {"type": "string"}, "note": {"type": "string"}},
              "required": ["orderId"]
            }""";
    static final String HOSTILE_NOTE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    @TestHTTPResource("/")
    URL base;

    WebhookReceiver receiver;
    ConsoleBrowser browser;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        browser = new ConsoleBrowser(base.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void operatorMainPath() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        String topic = "console.orders-" + suffix;

        // Sign in: the console sends an anonymous visitor to its sign-in page.
        browser.open("/console/topics");
        assertEquals("/console/login", browser.path());
        browser.assertControlsLabelled();
        browser.screenshot("sign-in");
        signIn("admin", ADMIN_PASSWORD);
        assertTrue(browser.driver.getTitle().startsWith("Topics"), browser.driver.getTitle());

        // Create a topic.
        browser.type(By.id("topic-name"), topic);
        browser.type(By.id("topic-description"), "Orders placed in the shop");
        browser.assertControlsLabelled();
        browser.submit(By.cssSelector("form[aria-labelledby=create-topic] button[type=submit]"));
        assertEquals("/console/topics/" + topic, browser.path());
        assertTrue(browser.text(By.tagName("h1")).contains(topic));
        assertTrue(browser.text(By.cssSelector("nav.crumbs")).contains("Topics"), "breadcrumbs say where we are");
        browser.screenshot("topic");

        // Register a schema: the compatibility verdict shows before saving (htmx swaps it in), then register.
        browser.submit(By.linkText("Register a schema version"));
        browser.fill(By.id("schema"), SCHEMA);
        browser.click(By.xpath("//button[normalize-space()='Check compatibility']"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(By.id("verdict")).contains("Compatible"));
        assertEquals("/console/topics/" + topic + "/schemas/new", browser.path(), "the check did not leave the page");
        browser.screenshot("schema-verdict");
        browser.submit(By.xpath("//button[normalize-space()='Register version']"));
        assertEquals("/console/topics/" + topic + "/schemas/1", browser.path());
        assertTrue(browser.text(By.id("schema")).contains("\"orderId\""));
        browser.screenshot("schema-version");

        // A producer's API key, allowed to publish to this topic only, shown once.
        browser.open("/console/api-keys");
        browser.type(By.id("key-name"), "shop backend " + suffix);
        browser.type(By.id("key-topics"), topic);
        browser.assertControlsLabelled();
        browser.submit(By.cssSelector("form[aria-labelledby=create-key] button[type=submit]"));
        String producerKey = browser.text(By.id("new-key"));
        assertTrue(producerKey.startsWith("hk_"), producerKey);
        browser.screenshot("api-key");
        browser.open("/console/api-keys");
        assertTrue(browser.all(By.id("new-key")).isEmpty(), "the key is shown only once");

        // Create a webhook subscription; the filter editor checks the filter first.
        browser.open("/console/subscriptions");
        browser.type(By.id("sub-name"), "shop-" + suffix);
        browser.type(By.id("sub-topic"), topic);
        browser.fill(By.id("sub-filter"), "{\"data\": {\"orderId\": [{\"prefix\": \"ord_\"}]}}");
        browser.click(By.xpath("//button[normalize-space()='Check filter']"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(By.id("filter-verdict")).contains("The filter is valid"));
        browser.type(By.id("sub-url"), receiver.url("/hook"));
        // First attempt, then one retry 3 s later: long enough to see it waiting, short enough to wait for.
        browser.type(By.id("sub-retry"), "PT0S, PT3S");
        browser.assertControlsLabelled();
        browser.screenshot("subscription-form");
        browser.submit(By.cssSelector("form[aria-labelledby=create-subscription] button[type=submit]"));
        assertTrue(browser.path().startsWith("/console/subscriptions/sub_"), browser.path());
        String subscriptionId = browser.path().substring("/console/subscriptions/".length());
        assertEquals("active", browser.text(By.id("subscription-state")));

        // A test event reaches the endpoint, signed, and the page shows what it answered.
        receiver.always("/hook", WebhookReceiver.Answer.status(204));
        browser.submit(By.xpath("//button[normalize-space()='Send a test event']"));
        assertTrue(browser.text(By.id("test-attempt")).contains("succeeded: HTTP 204"), browser.text(By.id("test-attempt")));
        assertEquals(1, receiver.requests("/hook").size());
        assertTrue(receiver.requests("/hook").get(0).header("webhook-signature").startsWith("v1,"));
        browser.screenshot("subscription");

        // An event posted through the API shows up, delivered, its hostile payload shown as text.
        String delivered = publish(producerKey, topic, "ord_1", HOSTILE_NOTE);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/hook").size() == 2);
        browser.open("/console/events?topic=" + topic);
        browser.submit(By.linkText(delivered));
        assertEquals("/console/events/" + delivered, browser.path());
        waitForText(() -> browser.text(By.id("delivery-" + deliveryOf(delivered))), "delivered");
        assertTrue(browser.text(By.id("payload")).contains(HOSTILE_NOTE.replace("\"", "\\\"")), browser.text(By.id("payload")));
        assertTrue(browser.all(By.cssSelector("main script, main img")).isEmpty(), "payload markup must not become elements");
        assertEquals(null, browser.script("return window.pwned === undefined ? null : window.pwned;"), "payload script ran");
        String deliverySection = browser.text(By.id("delivery-" + deliveryOf(delivered)));
        assertTrue(deliverySection.contains("succeeded") && deliverySection.contains("HTTP 204"), deliverySection);
        browser.screenshot("event-delivered");

        // The endpoint starts failing: the delivery waits for its retry, then gives up into the dead letters.
        receiver.always("/hook", WebhookReceiver.Answer.status(503));
        String failing = publish(producerKey, topic, "ord_2", "second");
        String failingDelivery = await().atMost(Duration.ofSeconds(20)).until(() -> deliveryOf(failing), d -> d != null);
        browser.open("/console/subscriptions/" + subscriptionId + "/deliveries");
        waitForText(() -> browser.text(By.tagName("main")), failingDelivery);
        assertTrue(browser.all(By.cssSelector("#retrying a[href='/console/deliveries/" + failingDelivery + "']")).size() == 1,
                "the failing delivery is listed as waiting for a retry");
        browser.screenshot("retrying");
        waitForText(() -> browser.all(By.id("exhausted")).isEmpty() ? "" : browser.text(By.id("exhausted")), failingDelivery);
        browser.screenshot("dead-letters");
        browser.open("/console/deliveries/" + failingDelivery);
        assertEquals("exhausted", browser.text(By.id("delivery-state")));
        assertTrue(browser.text(By.cssSelector("ol.timeline")).contains("HTTP 503"));
        browser.screenshot("delivery-exhausted");

        // The endpoint recovers: redriving the selected dead letter delivers it.
        receiver.always("/hook", WebhookReceiver.Answer.status(200));
        browser.open("/console/subscriptions/" + subscriptionId + "/deliveries");
        browser.click(By.cssSelector("input[name=deliveryId][value='" + failingDelivery + "']"));
        browser.submit(By.xpath("//button[normalize-space()='Redrive selected']"));
        assertEquals("1 deliveries redriven", browser.text(By.id("notice")));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/hook").size() >= 5);
        browser.open("/console/deliveries/" + failingDelivery);
        waitForText(() -> browser.text(By.id("delivery-state")), "delivered");
        browser.screenshot("redriven");

        // The dashboard shows the flow; it is readable at phone width too.
        browser.open("/console");
        waitForText(() -> browser.text(By.id("backlog")), "shop-" + suffix);
        browser.screenshot("dashboard");
        browser.resize(390, 844);
        for (String page : new String[] {"/console", "/console/topics/" + topic, "/console/subscriptions/" + subscriptionId,
                "/console/events/" + delivered}) {
            browser.open(page);
            browser.assertNoHorizontalScroll();
        }
        browser.open("/console");
        browser.screenshot("dashboard-phone");
        browser.resize(1280, 900);
    }

    @Test
    void viewerSeesNoControlsAndIsRefused() throws Exception {
        String viewer = "viewer-" + UUID.randomUUID().toString().substring(0, 6);
        browser.open("/console/login");
        signIn("admin", ADMIN_PASSWORD);
        browser.open("/console/accounts");
        browser.type(By.id("account-username"), viewer);
        browser.type(By.id("account-password"), "viewer-password-1");
        browser.submit(By.cssSelector("form[aria-labelledby=create-account] button[type=submit]"));
        assertTrue(browser.text(By.id("accounts")).contains(viewer));
        browser.submit(By.xpath("//button[normalize-space()='Sign out']"));
        assertEquals("/console/login", browser.path());

        browser.open("/console/login");
        signIn(viewer, "viewer-password-1");
        browser.open("/console/topics");
        assertTrue(browser.all(By.cssSelector("main form[method=post]")).isEmpty(), "a viewer gets no forms that change anything");
        assertTrue(browser.all(By.linkText("Accounts")).isEmpty());
        browser.screenshot("viewer-topics");

        // The server refuses a viewer's change even with a valid session and CSRF token.
        String session = browser.driver.manage().getCookieNamed("quarkus-credential").getValue();
        Cookie csrf = browser.driver.manage().getCookieNamed("herald-csrf");
        RestAssured.given().redirects().follow(false)
                .cookie("quarkus-credential", session).cookie("herald-csrf", csrf.getValue())
                .contentType(ContentType.URLENC).formParam("csrf-token", csrf.getValue()).formParam("name", "viewer.made-this")
                .post("/console/topics").then().statusCode(403);
        RestAssured.given().get("/api/v1/topics/viewer.made-this").then().statusCode(404);
    }

    @Test
    void anEngineSubscriptionShowsWhereItDelivers() throws Exception {
        String topic = "console.engine-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = "hk_testadmn_TestAdminKeyNotASecret0123456789";
        createTopic(topic);
        String id = createSubscription("{\"topic\": \"" + topic + "\", \"kind\": \"redis\", "
                        + "\"redis\": {\"stream\": \"orders:{type}\", \"maxLen\": 10000, \"maxInFlight\": 4}}");

        browser.open("/console/subscriptions/" + id);
        signIn("admin", ADMIN_PASSWORD);
        browser.open("/console/subscriptions/" + id);
        String facts = browser.text(By.id("subscription-facts"));
        assertTrue(facts.contains("orders:{type} (connection default, trimmed to about 10000 entries)"), facts);
        assertTrue(facts.contains("4 in flight, no per-second cap"), facts);
        assertTrue(browser.all(By.id("sub-url")).isEmpty(), "no webhook settings on an engine subscription");
        browser.assertControlsLabelled();
        browser.screenshot("engine-subscription");
    }

    @Test
    void anOperatorTestsATransformationOnAStoredEventThenSavesIt() throws Exception {
        String topic = "console.shape-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = "hk_testadmn_TestAdminKeyNotASecret0123456789";
        createTopic(topic);
        String id = createSubscription("{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", "
                        + "\"webhook\": {\"url\": \"http://127.0.0.1:9/never\"}}");
        String eventId = publish(admin, topic, "o-42", "gift wrap");

        browser.open("/console/subscriptions/" + id + "/transformation");
        signIn("admin", ADMIN_PASSWORD);
        browser.open("/console/subscriptions/" + id + "/transformation");
        browser.type(By.id("transformation-text"), "{\"body\": {\"order\": data.orderId}, \"headers\": {\"X-Note\": data.note}}");
        browser.type(By.id("transformation-event"), eventId);
        browser.submit(By.xpath("//button[normalize-space()='Test on the event']"));
        String body = browser.text(By.id("transformation-body"));
        assertTrue(body.contains("\"order\" : \"o-42\""), body);
        assertTrue(browser.text(By.id("transformation-headers")).contains("gift wrap"));
        assertTrue(browser.text(By.id("transformation-input")).contains("\"orderId\" : \"o-42\""));
        assertTrue(browser.text(By.id("stored-transformation")).startsWith("None"), "nothing saved by a test");
        browser.assertControlsLabelled();
        browser.screenshot("transformation-test");

        browser.submit(By.xpath("//button[normalize-space()='Save']"));
        assertTrue(browser.text(By.id("stored-transformation")).contains("data.orderId"));
        String stored = RestAssured.given().header("X-API-Key", admin).get("/api/v1/subscriptions/" + id)
                .then().statusCode(200).extract().path("transformation");
        assertTrue(stored.contains("X-Note"), stored);

        browser.type(By.id("transformation-text"), "{\"body\": data.");
        browser.submit(By.xpath("//button[normalize-space()='Save']"));
        assertTrue(browser.text(By.tagName("main")).contains("at position 14"), "the error names its position");
    }

    @Test
    void anOperatorSetsEndpointAuthenticationWhoseSecretIsNeverShownAgain() throws Exception {
        String topic = "console.auth-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = "hk_testadmn_TestAdminKeyNotASecret0123456789";
        createTopic(topic);
        String id = createSubscription("{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", "
                        + "\"webhook\": {\"url\": \"http://127.0.0.1:9/never\"}}");
        String password = "console-pw-" + UUID.randomUUID();

        browser.open("/console/subscriptions/" + id);
        signIn("admin", ADMIN_PASSWORD);
        browser.open("/console/subscriptions/" + id);
        assertTrue(browser.text(By.id("subscription-auth")).startsWith("signature only"));
        browser.open("/console/subscriptions/" + id + "/auth");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("auth-type"))).selectByValue("basic");
        browser.type(By.id("auth-username"), "billing");
        browser.type(By.id("auth-password"), password);
        browser.submit(By.xpath("//button[normalize-space()='Save authentication']"));
        assertTrue(browser.text(By.id("auth-current")).contains("basic, user billing"), browser.text(By.id("auth-current")));
        assertFalse(browser.driver.getPageSource().contains(password), "the password is not on the page");
        browser.assertControlsLabelled();
        browser.screenshot("endpoint-auth");
        String type = RestAssured.given().header("X-API-Key", admin).get("/api/v1/subscriptions/" + id)
                .then().statusCode(200).extract().path("webhook.auth.type");
        assertEquals("basic", type);

        browser.open("/console/subscriptions/" + id + "/ordering");
        browser.driver.findElement(By.id("ordering-on")).click();
        browser.type(By.id("ordering-key"), "/customerId");
        browser.submit(By.xpath("//button[normalize-space()='Save']"));
        assertTrue(browser.text(By.id("ordering-current")).contains("/customerId"), browser.text(By.id("ordering-current")));
        browser.assertControlsLabelled();
        Boolean ordered = RestAssured.given().header("X-API-Key", admin).get("/api/v1/subscriptions/" + id)
                .then().statusCode(200).extract().path("ordered");
        assertTrue(ordered, "ordered through the console");

        browser.open("/console/subscriptions/" + id + "/auth");
        browser.type(By.id("tls-ca"), "not a certificate");
        browser.submit(By.xpath("//button[normalize-space()='Save TLS settings']"));
        String page = browser.text(By.tagName("main"));
        assertTrue(page.contains("/webhook/tls/caCertificates") || page.contains("caCertificates"), page);
    }

    @Test
    void anOrderedSubscriptionsWaitingEventsShowBesideItsRetries() throws Exception {
        String topic = "console.ordered-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = "hk_testadmn_TestAdminKeyNotASecret0123456789";
        createTopic(topic);
        // Nothing listens on port 9: the key's first event is retried (in minutes), the next two wait behind it.
        String id = createSubscription("{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", \"ordered\": true, "
                        + "\"orderingKey\": \"/orderId\", \"webhook\": {\"url\": \"http://127.0.0.1:9/never\", "
                        + "\"retrySchedule\": [\"PT0S\", \"PT10M\"]}}");
        Thread.sleep(1500); // the lane attaches
        for (int i = 0; i < 3; i++) {
            publish(admin, topic, "o-7", "change " + i);
        }

        browser.open("/console/subscriptions/" + id + "/deliveries");
        signIn("admin", ADMIN_PASSWORD);
        browser.open("/console/subscriptions/" + id + "/deliveries");
        waitForText(() -> browser.text(By.tagName("main")), "Waiting for an earlier event of their key (2)");
        assertEquals(2, browser.all(By.cssSelector("#waiting tbody tr")).size());
        assertEquals(1, browser.all(By.cssSelector("#retrying tbody tr")).size());
        browser.screenshot("ordered-waiting");
    }

    private static final String ADMIN_KEY = "hk_testadmn_TestAdminKeyNotASecret0123456789";

    private static void createTopic(String topic) {
        RestAssured.given().header("X-API-Key", ADMIN_KEY).contentType(ContentType.JSON)
                .body("{\"name\": \"" + topic + "\"}").post("/api/v1/topics").then().statusCode(201);
    }

    /** The subscription's id. */
    private static String createSubscription(String json) {
        return RestAssured.given().header("X-API-Key", ADMIN_KEY).contentType(ContentType.JSON)
                .body(json).post("/api/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    private void signIn(String user, String password) {
        browser.type(By.id("username"), user);
        browser.type(By.id("password"), password);
        browser.submit(By.xpath("//button[normalize-space()='Sign in']"));
        assertFalse(browser.path().startsWith("/console/login"), "signed in as " + user + ": " + browser.path());
    }

    private static String publish(String key, String topic, String orderId, String note) {
        return RestAssured.given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body("{\"orderId\": \"" + orderId + "\", \"note\": \"" + note.replace("\"", "\\\"") + "\"}")
                .post("/api/v1/topics/" + topic + "/events")
                .then().statusCode(202).extract().path("id");
    }

    private static String deliveryOf(String eventId) {
        return RestAssured.given().get("/api/v1/events/" + eventId).then().statusCode(200).extract().path("deliveries[0].id");
    }

    /** Reloads the page until the text shows (pages are server-rendered; a reload is what an operator does). */
    private void waitForText(Supplier<String> text, String expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (text.get().contains(expected)) {
                return true;
            }
            browser.driver.navigate().refresh();
            return false;
        });
    }
}
