package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;

/** The stock docker CLI pulls, lists, tags, inspects and removes images through the Engine. */
class DockerCliImagesTest extends BerthIntegrationTest {

    private DockerCli cli;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        cli = DockerCli.against(engineSocket());
    }

    @AfterEach
    void removeConfig() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void pullImagesTagInspectRmi() {
        String repository = "engine-cli/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image image = OciImages.busybox(true);
        RegistryClient registry = registry();
        for (OciImages.Blob blob : image.blobs()) {
            registry.pushBlob(repository, blob.bytes());
        }
        RegistryClient.expect(registry.putManifest(repository, "1", OciImages.MANIFEST_TYPE, image.manifest().bytes()),
                201);
        String name = registryHost() + "/" + repository;

        Commands.Result pull = docker("pull", name + ":1").assertSuccess();
        assertThat(pull.stdout()).contains("1: Pulling from " + repository)
                .contains("Digest: " + image.manifest().digest())
                .contains("Status: Downloaded newer image for " + name + ":1");
        assertThat(docker("pull", name + ":1").assertSuccess().stdout())
                .contains("Status: Image is up to date for " + name + ":1");

        String shortId = image.config().hex().substring(0, 12);
        assertThat(docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", name).assertSuccess().stdout().strip())
                .isEqualTo(name + ":1 " + shortId);
        docker("tag", name + ":1", "berth-cli/copy:2").assertSuccess();
        assertThat(docker("image", "inspect", "--format", "{{.Id}} {{.Os}}/{{.Architecture}} {{len .RootFS.Layers}}",
                "berth-cli/copy:2").assertSuccess().stdout().strip())
                .isEqualTo(image.config().digest() + " linux/amd64 3");
        assertThat(docker("history", "--format", "{{.CreatedBy}}", "berth-cli/copy:2").assertSuccess().stdout())
                .contains("berth-test: ADD etc/");

        Commands.Result rmi = docker("rmi", name + ":1", "berth-cli/copy:2").assertSuccess();
        assertThat(rmi.stdout()).contains("Untagged: " + name + ":1").contains("Untagged: berth-cli/copy:2")
                .contains("Deleted: " + image.config().digest());
        assertThat(docker("images", "-q", name).assertSuccess().stdout()).isBlank();
    }

    @Test
    void pullOfAMissingTagSaysWhy() {
        String repository = "engine-cli/present-" + UUID.randomUUID().toString().substring(0, 8);
        registry().pushImage(repository, "v1");
        Commands.Result pull = docker("pull", registryHost() + "/" + repository + ":nosuch").assertFailure();
        assertThat(pull.stderr()).contains("manifest for " + registryHost() + "/" + repository
                + ":nosuch not found: manifest unknown");
    }

    private Commands.Result docker(String... arguments) {
        return cli.command(arguments).run();
    }
}
