package io.herald.console;

import io.herald.identity.KeycloakRealm;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.openqa.selenium.By;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console signs in through Keycloak's own login page, in a real browser, and signs out through it. */
@QuarkusTest
@TestProfile(KeycloakRealm.Profile.class)
@Tag("keycloak")
@EnabledIfEnvironmentVariable(named = "HERALD_IT_KEYCLOAK_URL", matches = ".+")
class ConsoleSsoBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void signInThroughKeycloakShowsTheDashboard() throws Exception {
        try (ConsoleBrowser browser = new ConsoleBrowser(base.toString())) {
            browser.open("/console");
            assertTrue(browser.driver.getCurrentUrl().startsWith(KeycloakRealm.issuer() + "/protocol/openid-connect/auth"),
                    browser.driver.getCurrentUrl());
            browser.screenshot("sso-keycloak-login");
            browser.type(By.id("username"), KeycloakRealm.USER);
            browser.type(By.id("password"), KeycloakRealm.PASSWORD);
            browser.submit(By.id("kc-login"));
            assertEquals("/console", browser.path());
            assertTrue(browser.driver.getTitle().startsWith("Dashboard"), browser.driver.getTitle());
            assertTrue(browser.text(By.cssSelector(".who")).contains("(operator)"), browser.text(By.cssSelector(".who")));
            browser.screenshot("sso-dashboard");
            // An operator: may create topics, but has no admin pages.
            browser.open("/console/topics");
            assertEquals(1, browser.all(By.cssSelector("form[aria-labelledby=create-topic]")).size());
            assertTrue(browser.all(By.linkText("API keys")).isEmpty());

            browser.submit(By.linkText("Sign out"));
            browser.open("/console");
            assertTrue(browser.driver.getCurrentUrl().startsWith(KeycloakRealm.issuer()), "signed out: " + browser.driver.getCurrentUrl());
        }
    }
}
