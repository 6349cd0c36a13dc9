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
import io.berth.support.TestAccounts;
import io.berth.common.Digest;

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
        registry().push(repository, "1", image);
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
        // docker images NAME lists that name's tags only, not the other names of the same image.
        assertThat(docker("images", "--format", "{{.Repository}}:{{.Tag}}", name).assertSuccess().stdout().strip())
                .isEqualTo(name + ":1");
        assertThat(docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", "berth-cli/copy").assertSuccess()
                .stdout().strip()).isEqualTo("berth-cli/copy:2 " + shortId);
        assertThat(docker("images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}", name)
                .assertSuccess().stdout().strip()).isEqualTo(name + ":1 " + image.manifest().digest());
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

    @Test
    void pruneRemovesTheImageATagMovedAwayFrom() {
        String repository = "engine-cli/prune-" + UUID.randomUUID().toString().substring(0, 8);
        String name = registryHost() + "/" + repository + ":1";
        OciImages.Image first = registry().push(repository, "1", OciImages.busybox(true));
        docker("pull", name).assertSuccess();
        OciImages.Image second = registry().push(repository, "1", OciImages.busybox(true));
        docker("pull", name).assertSuccess();
        // The tag moved: the first image is dangling, the second is not.
        String firstId = first.config().digest();
        assertThat(docker("images", "-q", "--no-trunc", "--filter", "dangling=true").assertSuccess().stdout())
                .contains(firstId);

        Commands.Result prune = docker("image", "prune", "-f").assertSuccess();
        assertThat(prune.stdout()).contains("deleted: " + firstId).contains("Total reclaimed space:")
                .doesNotContain(second.config().digest());
        assertThat(docker("image", "inspect", firstId).assertFailure().stderr()).contains("No such image");
        assertThat(docker("image", "inspect", "--format", "{{.Id}}", name).assertSuccess().stdout().strip())
                .isEqualTo(second.config().digest());
        docker("rmi", name).assertSuccess();
    }

    @Test
    void loginThenPushMountsOrUploadsWithProgress() {
        String source = "engine-cli/push-src-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image image = OciImages.busybox(true);
        registry().push(source, "1", image);
        String manifestDigest = image.manifest().digest();
        String pulled = registryHost() + "/" + source + ":1";
        docker("pull", pulled).assertSuccess();

        String port = registryHost().substring(registryHost().indexOf(':') + 1);
        // Without credentials the Hub refuses the push, and the CLI shows the registry's words.
        String refusedName = registryHost() + "/engine-cli/refused:1";
        docker("tag", pulled, refusedName).assertSuccess();
        assertThat(docker("push", refusedName).assertFailure().output()).contains("unauthorized");

        assertThat(docker("login", "-u", "nobody", "-p", "wrong-password", registryHost()).assertFailure().output())
                .contains("incorrect username or password");
        assertThat(docker("login", "-u", TestAccounts.ADMIN, "-p", TestAccounts.ADMIN_PASSWORD, registryHost())
                .assertSuccess().stdout()).contains("Login Succeeded");

        // Same registry: each blob is mounted from the repository the image came from.
        String mountedName = registryHost() + "/engine-cli/push-mounted-" + UUID.randomUUID().toString().substring(0, 8);
        docker("tag", pulled, mountedName + ":2").assertSuccess();
        Commands.Result mounted = docker("push", mountedName + ":2").assertSuccess();
        assertThat(mounted.stdout()).contains("The push refers to repository [" + mountedName + "]")
                .contains("Mounted from " + source)
                .contains("2: digest: " + manifestDigest + " size: " + image.manifest().bytes().length);
        assertThat(docker("push", mountedName + ":2").assertSuccess().stdout()).contains("Layer already exists");

        // Another name for the registry: nothing to mount from, so the layer is uploaded, with progress.
        String uploadedName = "localhost:" + port + "/engine-cli/push-uploaded-" + UUID.randomUUID().toString()
                .substring(0, 8);
        docker("login", "-u", TestAccounts.ADMIN, "-p", TestAccounts.ADMIN_PASSWORD, "localhost:" + port)
                .assertSuccess();
        docker("tag", pulled, uploadedName + ":3").assertSuccess();
        Commands.Result uploaded = docker("push", uploadedName + ":3").assertSuccess();
        assertThat(uploaded.stdout()).contains("Pushed").contains("3: digest: " + manifestDigest);
        String repository = uploadedName.substring(uploadedName.indexOf('/') + 1);
        assertThat(Digest.sha256(registry().get("/v2/" + repository + "/manifests/3",
                "Accept", OciImages.MANIFEST_TYPE).body()).toString()).isEqualTo(manifestDigest);
        for (OciImages.Blob blob : image.blobs()) {
            assertThat(registry().head("/v2/" + repository + "/blobs/" + blob.digest()).statusCode()).isEqualTo(200);
        }

        assertThat(docker("push", registryHost() + "/engine-cli/never-pulled:1").assertFailure().output())
                .contains("An image does not exist locally with the tag: " + registryHost() + "/engine-cli/never-pulled");
    }

    private Commands.Result docker(String... arguments) {
        return cli.command(arguments).run();
    }
}
