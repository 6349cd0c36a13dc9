package io.berth.hub.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.berth.support.Commands;
import io.berth.support.OciImages;
import io.berth.support.OciImages.Blob;
import io.berth.support.OciImages.Image;
import io.berth.support.OciImages.ImageIndex;
import io.berth.support.OciImages.Layout;
import io.berth.support.Skopeo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * skopeo (containers/image, as podman and buildah use it) pushes to and pulls from Berth over plain HTTP.
 * Every test pushes a unique image, so its blobs are really uploaded rather than found from another test.
 */
class SkopeoClientTest extends RealClientTest {

    @TempDir
    Path work;

    private Skopeo skopeo;

    @BeforeEach
    void privateSkopeo() {
        skopeo = new Skopeo(work.resolve("skopeo")).withCredentials(ADMIN, ADMIN_PASSWORD);
    }

    @Test
    void copyPushesAndPullsTheImageByteForByte() {
        Image image = OciImages.busybox(true);
        Layout source = OciImages.writeLayout(work.resolve("source"), "latest", image);
        String remote = "docker://" + registryAddress() + "/library/busybox:latest";

        skopeo.run("copy", "--dest-tls-verify=false", "--preserve-digests", source.reference(), remote);

        String rawManifest = skopeo.run("inspect", "--tls-verify=false", "--raw", remote).stdout();
        assertThat(OciImages.sha256(utf8(rawManifest)))
                .as("digest of the manifest Berth serves")
                .isEqualTo(image.manifest().digest());
        JsonNode inspected = json(skopeo.run("inspect", "--tls-verify=false", remote));
        assertThat(inspected.get("Digest").asString()).isEqualTo(image.manifest().digest());
        assertThat(inspected.get("Architecture").asString()).isEqualTo("amd64");

        Path pulled = work.resolve("pulled");
        skopeo.run("copy", "--src-tls-verify=false", remote, "oci:" + pulled + ":latest");

        assertThat(OciImages.taggedDigest(pulled, "latest")).isEqualTo(image.manifest().digest());
        for (Blob blob : withManifest(image)) {
            assertThat(OciImages.readBlob(pulled, blob.digest()))
                    .as("pulled bytes of %s", blob.digest())
                    .isEqualTo(blob.bytes());
        }
    }

    @Test
    void pushAsDockerSchema2ToAnotherRepositoryAndPullBack() {
        Image image = OciImages.busybox(true);
        Layout source = OciImages.writeLayout(work.resolve("source"), "latest", image);
        // The first push teaches skopeo's cache where the blobs are, so the second push to another repository
        // asks Berth for a cross-repository mount (POST ...uploads/?mount=<digest>&from=skopeo/oci) first.
        skopeo.run("copy", "--dest-tls-verify=false", source.reference(),
                "docker://" + registryAddress() + "/skopeo/oci:1.0");
        String remote = "docker://" + registryAddress() + "/skopeo/docker-v2s2:1.0";

        skopeo.run("copy", "--dest-tls-verify=false", "--format", "v2s2", source.reference(), remote);

        String rawManifest = skopeo.run("inspect", "--tls-verify=false", "--raw", remote).stdout();
        JsonNode manifest = OciImages.parse(utf8(rawManifest));
        assertThat(manifest.get("mediaType").asString())
                .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        // Converting the manifest changes media types only: the config and layer bytes stay as they were.
        assertThat(manifest.get("config").get("digest").asString()).isEqualTo(image.config().digest());
        assertThat(digests(manifest.get("layers"))).isEqualTo(image.layers().stream().map(Blob::digest).toList());

        // dir: keeps the manifest exactly as served (an oci: layout would convert it back to OCI).
        Path pulled = work.resolve("pulled");
        skopeo.run("copy", "--src-tls-verify=false", remote, "dir:" + pulled);

        assertThat(OciImages.read(pulled.resolve("manifest.json"))).isEqualTo(utf8(rawManifest));
        for (Blob blob : image.blobs()) {
            assertThat(OciImages.read(pulled.resolve(blob.hex()))).as("pulled bytes of %s", blob.digest())
                    .isEqualTo(blob.bytes());
        }
    }

    @Test
    void listTagsShowsEveryPushedTag() {
        Layout source = OciImages.busyboxLayout(work.resolve("source"), "latest", true);
        String repository = "docker://" + registryAddress() + "/skopeo/tagged";
        skopeo.run("copy", "--dest-tls-verify=false", source.reference(), repository + ":latest");
        skopeo.run("copy", "--dest-tls-verify=false", source.reference(), repository + ":1.36.1");

        JsonNode tags = json(skopeo.run("list-tags", "--tls-verify=false", repository));

        assertThat(tags.get("Repository").asString()).isEqualTo(registryAddress() + "/skopeo/tagged");
        // The order is the registry's (the reference registry does not sort); HTTP-level tests pin it down.
        assertThat(strings(tags.get("Tags"))).containsExactlyInAnyOrder("1.36.1", "latest");
    }

    @Test
    void copyAllPushesAMultiPlatformIndex() {
        ImageIndex index = OciImages.busyboxIndex(true);
        Layout source = OciImages.writeLayout(work.resolve("source"), "multi", index);
        String remote = "docker://" + registryAddress() + "/skopeo/multiarch:1.0";

        skopeo.run("copy", "--all", "--preserve-digests", "--dest-tls-verify=false", source.reference(), remote);

        String rawIndex = skopeo.run("inspect", "--tls-verify=false", "--raw", remote).stdout();
        assertThat(OciImages.sha256(utf8(rawIndex)))
                .isEqualTo(index.index().digest());
        // Picking a platform is the client's job: skopeo follows the index to the arm64 manifest.
        JsonNode arm64 = json(skopeo.run("inspect", "--tls-verify=false",
                "--override-os", "linux", "--override-arch", "arm64", remote));
        assertThat(arm64.get("Architecture").asString()).isEqualTo("arm64");
        assertThat(arm64.get("Digest").asString()).isEqualTo(index.index().digest());
        String arm64Manifest = skopeo.run("inspect", "--tls-verify=false", "--raw",
                "docker://" + registryAddress() + "/skopeo/multiarch@" + index.manifests().get(1).manifest().digest())
                .stdout();
        assertThat(OciImages.sha256(utf8(arm64Manifest)))
                .isEqualTo(index.manifests().get(1).manifest().digest());
    }

    private static List<Blob> withManifest(Image image) {
        List<Blob> blobs = new ArrayList<>(image.blobs());
        blobs.add(image.manifest());
        return blobs;
    }

    private static List<String> digests(JsonNode descriptors) {
        List<String> digests = new ArrayList<>();
        descriptors.forEach(descriptor -> digests.add(descriptor.get("digest").asString()));
        return digests;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static JsonNode json(Commands.Result result) {
        return OciImages.parse(utf8(result.stdout()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
