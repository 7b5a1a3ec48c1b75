package io.herald.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The console's guards over plain HTTP (the browser tests walk the pages): sign-in, CSRF, roles, escaping, headers. */
@QuarkusTest
class ConsoleAccessTest {

    /** A signed-in console session: its cookies, and the CSRF token its forms carry. */
    record Session(Map<String, String> cookies) {
        static Session signIn(String user, String password) {
            Response login = RestAssured.given()
                    .redirects()
                    .follow(false)
                    .contentType(ContentType.URLENC)
                    .formParam("j_username", user)
                    .formParam("j_password", password)
                    .post("/console/j_security_check");
            assertEquals(302, login.statusCode());
            assertTrue(
                    login.header("Location").endsWith("/console"),
                    "signed in as " + user + ": " + login.header("Location"));
            Map<String, String> cookies = new HashMap<>(login.cookies());
            cookies.putAll(RestAssured.given()
                    .cookies(cookies)
                    .get("/console")
                    .then()
                    .statusCode(200)
                    .extract()
                    .cookies());
            return new Session(cookies);
        }

        String csrf() {
            return cookies.get("herald-csrf");
        }

        Response post(String path, Map<String, String> form, boolean withToken) {
            var request = RestAssured.given()
                    .redirects()
                    .follow(false)
                    .cookies(cookies)
                    .contentType(ContentType.URLENC)
                    .formParams(form);
            if (withToken) {
                request.formParam("csrf-token", csrf());
            }
            return request.post(path);
        }

        Response get(String path) {
            return RestAssured.given()
                    .redirects()
                    .follow(false)
                    .cookies(cookies)
                    .get(path);
        }
    }

    @Test
    void anonymousVisitorsAreSentToSignIn() {
        RestAssured.given()
                .redirects()
                .follow(false)
                .get("/console/topics")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login"));
        RestAssured.given()
                .redirects()
                .follow(false)
                .contentType(ContentType.URLENC)
                .formParam("j_username", "admin")
                .formParam("j_password", "wrong-password")
                .post("/console/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login/failed"));
    }

    @Test
    void repeatedFailuresStopFurtherGuessesForThatUser() {
        String user = newAccount("guessed-", "the-right-password", "viewer");
        for (int i = 0; i < 10; i++) {
            signInAttempt(user, "guess-" + i)
                    .then()
                    .statusCode(302)
                    .header("Location", endsWith("/console/login/failed"));
        }
        signInAttempt(user, "the-right-password")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login/failed"));
        Session.signIn("admin", "test-admin-password"); // other users are not locked out
    }

    @Test
    void signingOutEndsTheSessionAndEveryCopyOfItsCookie() {
        Session admin = Session.signIn("admin", "test-admin-password");
        String user = newAccount("leaving-", "the-right-password", "viewer");
        Session session = Session.signIn(user, "the-right-password");
        Session captured = new Session(new HashMap<>(session.cookies()));
        captured.get("/console/topics").then().statusCode(200);
        session.post("/console/logout", Map.of(), true)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/login"));
        captured.get("/console/topics")
                .then()
                .statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/console/login"));
        Session.signIn(user, "the-right-password").get("/console/topics").then().statusCode(200);
        admin.get("/console/topics").then().statusCode(200); // only that user's sessions end
    }

    @Test
    void aStrangersGuessesDoNotLockTheUserOutOfTheBrowsersTheyUse() {
        String user = newAccount("targeted-", "the-right-password", "viewer");
        String device = signInAttempt(user, "the-right-password")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console"))
                .extract()
                .cookie("herald-device");
        for (int i = 0; i < 10; i++) {
            signInAttempt(user, "guess-" + i)
                    .then()
                    .statusCode(302)
                    .header("Location", endsWith("/console/login/failed"));
        }
        // Strangers' browsers are refused now, even with the right password; the user's own browser is not.
        signInAttempt(user, "the-right-password")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login/failed"));
        RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("herald-device", device)
                .contentType(ContentType.URLENC)
                .formParam("j_username", user)
                .formParam("j_password", "the-right-password")
                .post("/console/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console"));
        // A device cookie is the user's: it does not vouch for another name, nor when tampered with.
        RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("herald-device", device.substring(0, device.length() - 2) + "xx")
                .contentType(ContentType.URLENC)
                .formParam("j_username", user)
                .formParam("j_password", "the-right-password")
                .post("/console/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login/failed"));
    }

    /** A new local account, created by the admin through the console; returns its user name. */
    private static String newAccount(String prefix, String password, String role) {
        String username = prefix + UUID.randomUUID().toString().substring(0, 8);
        Session.signIn("admin", "test-admin-password")
                .post("/console/accounts", Map.of("username", username, "password", password, "role", role), true)
                .then()
                .statusCode(303);
        return username;
    }

    private static Response signInAttempt(String user, String password) {
        return RestAssured.given()
                .redirects()
                .follow(false)
                .contentType(ContentType.URLENC)
                .formParam("j_username", user)
                .formParam("j_password", password)
                .post("/console/j_security_check");
    }

    @Test
    void pagesForbidInlineScriptFramingAndSniffing() {
        RestAssured.given()
                .get("/console/login")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void changesNeedTheCsrfToken() {
        Session admin = Session.signIn("admin", "test-admin-password");
        String topic = "console.csrf-" + UUID.randomUUID().toString().substring(0, 8);
        admin.post("/console/topics", Map.of("name", topic), false).then().statusCode(400);
        RestAssured.given().get("/api/v1/topics/" + topic).then().statusCode(404);
        admin.post("/console/topics", Map.of("name", topic), true)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/topics/" + topic));
        RestAssured.given().get("/api/v1/topics/" + topic).then().statusCode(200);
    }

    @Test
    void refusalsAppearInWordsOnTheForm() {
        Session admin = Session.signIn("admin", "test-admin-password");
        String page = admin.post("/console/topics", Map.of("name", "Not A Valid Name"), true)
                .then()
                .statusCode(422)
                .extract()
                .asString();
        assertTrue(page.contains("class=\"problem\""), page);
        assertTrue(page.contains("value=\"Not A Valid Name\""), "the form keeps what was typed");
    }

    @Test
    void payloadsRenderAsText() {
        Session admin = Session.signIn("admin", "test-admin-password");
        String topic = "console.escape-" + UUID.randomUUID().toString().substring(0, 8);
        admin.post("/console/topics", Map.of("name", topic), true).then().statusCode(303);
        String id = RestAssured.given()
                .contentType(ContentType.JSON)
                .body("{\"note\": \"<script>alert(1)</script><img src=x onerror=alert(2)>\"}")
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String page = admin.get("/console/events/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"), page);
        assertFalse(page.contains("<script>alert"), "the payload's markup reached the page");
        assertFalse(page.contains("<img src=x"), "the payload's markup reached the page");
    }

    @Test
    void viewersReadButCannotChange() {
        String viewer = newAccount("viewer-", "viewer-password-1", "viewer");
        Session session = Session.signIn(viewer, "viewer-password-1");
        String topics =
                session.get("/console/topics").then().statusCode(200).extract().asString();
        assertFalse(topics.contains("action=\"/console/topics\""), "a viewer is offered no create form");
        session.post("/console/topics", Map.of("name", "console.viewer-made"), true)
                .then()
                .statusCode(403);
        RestAssured.given().get("/api/v1/topics/console.viewer-made").then().statusCode(404);
        session.get("/console/accounts").then().statusCode(403);
    }
}
