package io.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthProcess;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.PageClient;

/** {@code berth.hub.enabled=false}: a node that serves the Engine API and nothing of the Hub. */
class EngineOnlyNodeTest {

    @TempDir
    Path temp;

    @Test
    void servesTheEngineButNoRegistryNorHubApi() throws Exception {
        EngineRequirement.assumeEngine();
        try (BerthProcess berth = BerthProcess.start(temp.resolve("data"), "--berth.hub.enabled=false");
                DockerCli docker = DockerCli.against(berth.engineSocket())) {
            assertThat(status(berth.baseUri().resolve("/v2/"))).isEqualTo(404);
            assertThat(status(berth.baseUri().resolve("/token"))).isEqualTo(404);
            assertThat(status(berth.baseUri().resolve("/api/v1/repositories"))).isEqualTo(404);
            assertThat(status(berth.managementUri().resolve("/actuator/health"))).isEqualTo(200);
            // No web UI either: a browser gets the plain error page, with nothing to sign in to.
            HttpResponse<String> page = new PageClient(berth.baseUri()).get("/sign-in");
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("Not found").doesNotContain("Sign in");

            Commands.Result version = docker.command("version", "--format", "{{.Server.Version}}").run()
                    .assertSuccess();
            assertThat(version.stdout().strip()).isNotEmpty();
            assertThat(docker.command("images", "-q").run().assertSuccess().stdout()).isBlank();
            assertThat(berth.log()).doesNotContain("Created the administrator");
        }
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
