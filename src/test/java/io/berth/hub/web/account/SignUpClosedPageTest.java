package io.berth.hub.web.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthProcess;
import io.berth.support.PageClient;

/**
 * {@code berth.hub.sign-up-enabled=false} as a visitor meets it: the page says sign-up is closed and a posted form is
 * refused with 403, as {@code POST /api/v1/users} is. The shared test context has sign-up open and one property
 * cannot change there, so this Berth runs in a JVM of its own (without its Engine: the page needs none).
 */
class SignUpClosedPageTest {

    @TempDir
    Path temp;

    @Test
    void aClosedSignUpSaysSoAndRefusesTheForm() throws Exception {
        try (BerthProcess berth = BerthProcess.start(temp.resolve("data"), "--berth.hub.sign-up-enabled=false",
                "--berth.engine.enabled=false")) {
            PageClient browser = new PageClient(berth.baseUri());
            HttpResponse<String> page = browser.get("/sign-up");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Sign-up is closed on this Hub").doesNotContain("id=\"sign-up\"");
            assertThat(browser.get("/sign-in").body()).as("no link to a closed sign-up").doesNotContain("/sign-up");

            HttpResponse<String> refused = browser.submit("/sign-in", "/sign-up",
                    Map.of("username", "visitor", "email", "visitor@example.com", "password", "a long password"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("Sign-up is closed on this Hub").doesNotContain("id=\"sign-up\"");
            assertThat(browser.get("/account").statusCode()).as("nobody signed in").isEqualTo(302);

            int profile = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(berth.baseUri().resolve("/api/v1/users/visitor")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            assertThat(profile).as("no account was made").isEqualTo(404);
        }
    }
}
