package io.berth.hub.distribution;

import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;
import tools.jackson.databind.JsonNode;

/**
 * Malformed requests to the Distribution API, whether Tomcat, the security firewall or the registry itself refuses
 * them: each is a 4xx with the API's JSON error document, never a server's HTML page, Spring's error JSON or a
 * Java message.
 */
class RegistryBadInputTest extends BerthIntegrationTest {

    private RegistryClient registry;
    private String repo;
    private String tag;

    @BeforeEach
    void pushAnImage() {
        registry = registry();
        repo = "bad/" + UUID.randomUUID().toString().substring(0, 8);
        tag = "v1";
        registry.pushImage(repo, tag);
    }

    @Test
    void pathsTheServerCannotRouteGetTheRegistrysErrorDocument() {
        String[] paths = {
                "/v2/" + repo + "/%2e%2e/tags/list", // an encoded .. (the security firewall)
                "/v2/" + repo.replace("/", "//") + "/tags/list", // an empty path segment
                "/v2/" + repo + "/manifests/" + tag + "%0d%0aX-Injected:%20yes", // an encoded line break
                "/v2/" + repo + ";x=1/tags/list", // a path parameter
                "/v2/" + repo + "/manifests/" + tag + "%00", // NUL (Tomcat refuses it while parsing)
                "/v2/" + repo + "/blobs/uploads/..%2f..%2fsomewhere", // an encoded / in an upload id
                "/v2/" + repo.replace("/", "%2f") + "/tags/list",
                "/v2/" + repo + "/manifests/%ff", // not UTF-8
        };
        for (String path : paths) {
            for (String method : new String[] {"GET", "HEAD", "PATCH", "DELETE"}) {
                HttpResponse<byte[]> answer = registry.send(method, path, null);
                assertThat(answer.statusCode()).as(method + " " + path).isEqualTo(400);
                assertThat(answer.headers().firstValue("X-Injected")).isEmpty();
                if (!method.equals("HEAD")) {
                    assertThat(errorCode(answer)).as(method + " " + path + ": " + text(answer)).isEqualTo("UNSUPPORTED");
                }
            }
        }
        // The repository is untouched.
        expect(registry.get("/v2/" + repo + "/manifests/" + tag, "Accept", "application/vnd.oci.image.manifest.v1+json"),
                200);
    }

    @Test
    void aTagLongerThanTheSpecAllowsIsInvalidNotUnknown() {
        String longTag = "t".repeat(200);
        for (String method : new String[] {"GET", "DELETE"}) {
            HttpResponse<byte[]> answer = expect(registry.send(method, "/v2/" + repo + "/manifests/" + longTag, null), 400);
            assertThat(errorCode(answer)).isEqualTo("TAG_INVALID");
        }
        expect(registry.head("/v2/" + repo + "/manifests/" + longTag), 400);
        // The same answer where the repository does not exist: the check comes before the lookup.
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "-none/manifests/" + longTag), 400)))
                .isEqualTo("TAG_INVALID");
        // 128 characters is the most a tag has, and such a tag is merely unknown.
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "/manifests/" + "t".repeat(128)), 404)))
                .isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void aPageSizeIsANumberAndAHugeOneIsTheLargestPage() {
        HttpResponse<byte[]> huge = expect(registry.get("/v2/" + repo + "/tags/list?n=99999999999999999999"), 200);
        assertThat(RegistryClient.strings(RegistryClient.json(huge).path("tags"))).containsExactly(tag);
        for (String n : new String[] {"abc", "-1", "1e3", "%20"}) {
            HttpResponse<byte[]> answer = expect(registry.get("/v2/" + repo + "/tags/list?n=" + n), 400);
            assertThat(errorCode(answer)).as("n=" + n).isEqualTo("PAGINATION_NUMBER_INVALID");
            assertThat(text(answer)).doesNotContain("java.", "Failed to convert");
        }
    }

    private static String errorCode(HttpResponse<byte[]> answer) {
        JsonNode errors = RegistryClient.json(answer).path("errors");
        assertThat(errors.isArray()).as(text(answer)).isTrue();
        return errors.path(0).path("code").asString();
    }

    private static String text(HttpResponse<byte[]> answer) {
        return answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("") + " "
                + new String(answer.body());
    }
}
