package io.berth.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.OciImages;
import io.berth.support.PageClient;
import io.berth.support.TestAccounts;

/** The dashboard over HTTP: the series after a push, the page with uPlot, administrators only. */
class DashboardPageTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MeterHistory history;

    @Test
    void theSeriesShowAPushOnceSampled() {
        PageClient admin = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);
        history.sample();
        long before = Instant.now().getEpochSecond();
        registry().push("dashboard/busybox-" + UUID.randomUUID().toString().substring(0, 8), "1",
                OciImages.busybox(false));
        history.sample();

        HttpResponse<String> answer = admin.get("/dashboard/series");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("intervalSeconds").asLong()).isEqualTo(10);
        JsonNode pushes = series(body, "pushes");
        assertThat(pushes.path("unit").asString()).isEqualTo("/s");
        boolean pushSeen = false;
        for (JsonNode point : pushes.path("points")) {
            assertThat(point.size()).isEqualTo(2);
            if (point.get(0).asLong() >= before && point.get(1).asDouble() > 0) {
                pushSeen = true;
            }
        }
        assertThat(pushSeen).as("a pushes point > 0 after the push: %s", pushes).isTrue();
        assertThat(series(body, "bytes.received").path("points").size()).isPositive();
        assertThat(series(body, "requests.latency.max").path("points").size()).isPositive();
    }

    @Test
    void thePageLoadsUplotAndShowsTheLatestValuesAsText() {
        history.sample();
        PageClient admin = PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> page = admin.get("/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Dashboard · Berth</title>", "src=\"/js/dashboard.js\"",
                "Pushes and pulls", "Request latency", "Containers running", "data-latest=\"pushes\"",
                "href=\"/dashboard\">Dashboard</a>");
        // The page names uPlot's files by their version (webjars-locator-lite); the version-less paths work too.
        String script = attribute(page.body(), "script", "src", "uPlot.iife.min.js");
        String style = attribute(page.body(), "link", "href", "uPlot.min.css");
        assertThat(script).startsWith("/webjars/uplot/");
        for (String asset : new String[] {script, style, "/webjars/uplot/dist/uPlot.iife.min.js", "/js/dashboard.js"}) {
            HttpResponse<String> answer = new PageClient(baseUri()).get(asset);
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(new PageClient(baseUri()).get(script).body()).contains("uPlot");
    }

    private static String attribute(String page, String element, String name, String endingWith) {
        Matcher matcher = Pattern.compile("<" + element + "[^>]*\\s" + name + "=\"([^\"]*" + Pattern.quote(endingWith)
                + ")\"").matcher(page);
        assertThat(matcher.find()).as("<%s %s=...%s> in the page", element, name, endingWith).isTrue();
        return matcher.group(1);
    }

    @Test
    void onlyAdministratorsSeeTheDashboard() {
        TestAccounts.User user = TestAccounts.signUp(baseUri(), "dash");
        PageClient plain = PageClient.signedIn(baseUri(), user.name(), user.password());
        assertThat(plain.get("/dashboard").statusCode()).isEqualTo(403);
        assertThat(plain.get("/dashboard/series").statusCode()).isEqualTo(403);
        assertThat(plain.get("/sign-in").body()).doesNotContain("href=\"/dashboard\"");
        assertThat(new PageClient(baseUri()).get("/dashboard/series").statusCode()).as("anonymous: to sign in")
                .isEqualTo(302);
    }

    private static JsonNode series(JsonNode body, String name) {
        for (JsonNode series : body.path("series")) {
            if (series.path("name").asString().equals(name)) {
                return series;
            }
        }
        throw new AssertionError("no series " + name + " in " + body);
    }
}
