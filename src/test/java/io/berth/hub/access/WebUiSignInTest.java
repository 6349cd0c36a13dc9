package io.berth.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.PageClient;
import io.berth.support.TestAccounts;

/** The web UI's sign-in, sign-out and the rules every page lives under (sessions, CSRF, headers, admin pages). */
class WebUiSignInTest extends BerthIntegrationTest {

    @Test
    void signInOpensASessionThatSignOutCloses() {
        PageClient browser = new PageClient(baseUri());
        HttpResponse<String> form = browser.get("/sign-in");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(form.body()).contains("<title>Sign in · Berth</title>", "name=\"_csrf\"");

        HttpResponse<String> signedIn = browser.submit("/sign-in", "/sign-in",
                Map.of("username", ADMIN, "password", ADMIN_PASSWORD, "next", "/admin?tab=users"));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/admin?tab=users"));
        assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Lax"));
        assertThat(browser.get("/sign-in").body()).as("the header names who is signed in")
                .contains(">" + ADMIN + "</a>", "Sign out");

        assertThat(browser.submit("/sign-in", "/sign-out", Map.of()).statusCode()).isEqualTo(302);
        assertThat(browser.get("/sign-in").body()).doesNotContain("Sign out");
        assertThat(browser.get("/admin").statusCode()).as("signed out: sent to sign in").isEqualTo(302);
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithTheReason() {
        PageClient browser = new PageClient(baseUri());
        HttpResponse<String> refused = browser.submit("/sign-in", "/sign-in",
                Map.of("username", "nobody-" + UUID.randomUUID(), "password", "wrong"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("incorrect username or password", "<form");
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        PageClient browser = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> forged = browser.post("/sign-out", Map.of());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(browser.get("/sign-in").body()).as("still signed in").contains("Sign out");
    }

    @Test
    void signInNeverRedirectsToAnotherSite() {
        for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example", "evil"}) {
            PageClient browser = new PageClient(baseUri());
            HttpResponse<String> signedIn = browser.submit("/sign-in", "/sign-in",
                    Map.of("username", ADMIN, "password", ADMIN_PASSWORD, "next", next));
            assertThat(signedIn.headers().firstValue("Location")).as(next)
                    .hasValueSatisfying(location -> assertThat(location).isEqualTo(baseUri() + "/"));
        }
    }

    @Test
    void administratorsPagesSendOthersToSignInOrRefuseThem() {
        HttpResponse<String> anonymous = new PageClient(baseUri()).get("/admin");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/sign-in?next=%2Fadmin"));

        TestAccounts.User user = TestAccounts.signUp(baseUri(), "webui");
        PageClient plain = PageClient.signedIn(baseUri(), user.name(), user.password());
        for (String page : new String[] {"/admin", "/node", "/dashboard"}) {
            HttpResponse<String> refused = plain.get(page);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Not allowed");
        }
    }

    @Test
    void pagesCarryAContentSecurityPolicyAndRefuseFraming() {
        HttpResponse<String> page = new PageClient(baseUri()).get("/sign-in");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(new PageClient(baseUri()).get("/css/berth.css").statusCode()).isEqualTo(200);
    }
}
