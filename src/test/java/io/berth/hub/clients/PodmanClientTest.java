package io.berth.hub.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.berth.support.OciImages;
import io.berth.support.OciImages.Image;
import io.berth.support.OciImages.Layout;
import io.berth.support.Podman;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * podman pushes an image to Berth and pulls it back into empty local storage (no {@code podman run}: the
 * machines have no container runtime for it).
 *
 * <p>podman stores layers uncompressed and gzips them again on push, so the pushed layer digests differ
 * from the layout's. What survives the round trip, and what a user checks, is the image ID (the config
 * digest), the layers' diff IDs and the manifest digest podman reports for the push.
 */
class PodmanClientTest extends RealClientTest {

    @TempDir
    Path work;

    private Podman podman;

    @BeforeEach
    void isolatedPodman() {
        podman = Podman.isolated();
        podman.login(registryAddress(), ADMIN, ADMIN_PASSWORD).succeed();
    }

    @AfterEach
    void removeStorage() {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void pushThenPullIntoEmptyStorageGivesTheSameImage() throws IOException {
        Image image = OciImages.busybox(true);
        Layout layout = OciImages.writeLayout(work.resolve("layout"), "latest", image);
        String imageId = podman.run("pull", layout.reference()).lastLine();
        assertThat(imageId).as("podman's image ID is the config digest").isEqualTo(image.config().hex());
        String target = registryAddress() + "/alice/busybox:1";
        podman.run("tag", imageId, target);

        Path digestFile = work.resolve("pushed-digest");
        podman.run("push", "--tls-verify=false", "--digestfile", digestFile.toString(),
                target, "docker://" + target);

        String pushedDigest = Files.readString(digestFile).strip();
        HttpResponse<byte[]> manifest = get("/v2/alice/busybox/manifests/1");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(OciImages.sha256(manifest.body())).isEqualTo(pushedDigest);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(pushedDigest);

        // -f: the image has two names (the layout's and the registry's); remove it under both.
        podman.run("rmi", "-f", imageId);
        assertThat(podman.command("image", "exists", target).run().exitCode())
                .as("image gone from local storage before the pull").isEqualTo(1);

        String pulledId = podman.run("pull", "--tls-verify=false", target).lastLine();

        assertThat(pulledId).isEqualTo(image.config().hex());
        JsonNode inspected = OciImages.parse(podman.run("image", "inspect", target).stdout()
                .getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(inspected.get("Id").asString()).isEqualTo(image.config().hex());
        assertThat(inspected.get("Digest").asString()).isEqualTo(pushedDigest);
        assertThat(strings(inspected.get("RootFS").get("Layers"))).isEqualTo(image.diffIds());
        assertThat(strings(inspected.get("RepoDigests")))
                .contains(registryAddress() + "/alice/busybox@" + pushedDigest);
        assertThat(inspected.get("Architecture").asString()).isEqualTo("amd64");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
