package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.common.Digest;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.graph.LayerBlob;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.OciImages;
import io.berth.support.Skopeo;
import io.berth.support.TestAccounts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An image made on the node (two new layers over a pulled busybox: one written as a COPY writes it, one from a
 * container's changes) runs, shows its steps in {@code docker history}, and {@code docker push} sends it to the Hub,
 * where skopeo pulls it back with every blob verified against its digest.
 */
class NodeMadeImagePushTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired(required = false)
    ImageWriter writer;
    @Autowired(required = false)
    ImageService images;
    @Autowired(required = false)
    GraphDriver graph;
    @Autowired(required = false)
    ContentStore content;

    @TempDir
    Path temp;

    private EngineWithBusybox engine;
    private String made;

    @BeforeEach
    void busybox() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-made");
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            if (made != null) {
                engine.docker("rmi", "-f", made);
            }
            engine.close();
        }
    }

    @Test
    void aNodeMadeImageRunsShowsItsHistoryAndPushesVerifiably() throws IOException {
        ImageRecord parent = images.get(engine.image());
        ImageRecord.Layer top = parent.layers().get(parent.layers().size() - 1);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        byte[] hello = "hello from a layer made here\n".getBytes(StandardCharsets.UTF_8);
        LayerBlob copied = LayerBlob.write(content.newTempFile("test-copy-"), LayerBlob.DEFAULT_LEVEL, tar ->
                tar.file("hello.txt", 0644, 0, 0, now, hello.length, new ByteArrayInputStream(hello)));

        String container = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        LayerBlob changed;
        try {
            Path root = graph.createRootfs(container, top.chainId().toString());
            Files.writeString(Files.createDirectories(root.resolve("srv")).resolve("made"), "changed in a container\n");
            Files.delete(root.resolve("etc/berth-build-id"));
            changed = LayerBlob.write(content.newTempFile("test-diff-"), LayerBlob.DEFAULT_LEVEL,
                    tar -> graph.writeChanges(container, tar));
        } finally {
            graph.removeRootfs(container);
        }

        ObjectNode config = (ObjectNode) images.config(parent).config().deepCopy();
        config.putArray("Cmd").add("cat").add("/hello.txt");
        made = registryHost() + "/engine-made/made-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        ImageRecord image = writer.write(new ImageWriter.ImageDraft(parent, List.of(copied, changed), config,
                List.of(new ImageConfiguration.History(now.toString(), "/bin/sh -c #(nop) COPY file:abc in / ", null,
                        null, null),
                        new ImageConfiguration.History(now.toString(), "/bin/sh -c rm /etc/berth-build-id", null, null,
                                null),
                        new ImageConfiguration.History(now.toString(), "/bin/sh -c #(nop)  CMD [\"cat\" \"/hello.txt\"]",
                                null, null, true)),
                null, null, null, now), List.of(ImageReference.parse(made)));
        assertThat(image.layers()).hasSize(parent.layers().size() + 2);
        assertThat(Files.exists(copied.file())).as("the layer file was moved into the content store").isFalse();

        // It runs, with its layers stacked and the deletion applied.
        assertThat(engine.docker("run", "--rm", made).assertSuccess().stdout()).isEqualTo("hello from a layer made here\n");
        assertThat(engine.docker("run", "--rm", made, "sh", "-c", "cat /srv/made; test -e /etc/berth-build-id || "
                + "echo deleted").assertSuccess().stdout()).isEqualTo("changed in a container\ndeleted\n");

        // docker history: the new steps on top, newest first, with the sizes of their layers.
        String history = engine.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", made)
                .assertSuccess().stdout();
        assertThat(history.lines().limit(3)).containsExactly(
                "/bin/sh -c #(nop)  CMD [\"cat\" \"/hello.txt\"]|0B",
                "/bin/sh -c rm /etc/berth-build-id|" + humanSize(image.layers().get(image.layers().size() - 1).size()),
                "/bin/sh -c #(nop) COPY file:abc in / |" + hello.length + "B");

        engine.docker("login", "-u", TestAccounts.ADMIN, "-p", TestAccounts.ADMIN_PASSWORD, registryHost())
                .assertSuccess();
        String push = engine.docker("push", made).assertSuccess().stdout();
        assertThat(push).contains("Pushed").contains("1: digest: sha256:");

        // skopeo pulls it back: it verifies every blob against its digest while copying; so do we, after.
        Skopeo skopeo = new Skopeo(temp.resolve("skopeo")).withCredentials(ADMIN, ADMIN_PASSWORD);
        Path pulled = temp.resolve("pulled");
        skopeo.run("copy", "--src-tls-verify=false", "docker://" + made, "dir:" + pulled);
        byte[] manifest = Files.readAllBytes(pulled.resolve("manifest.json"));
        assertThat(Digest.sha256(manifest)).as("the manifest pushed is the one stored").isEqualTo(image.manifestDigest());
        JsonNode parsed = OciImages.parse(manifest);
        assertThat(parsed.path("config").path("digest").asString()).isEqualTo(image.id().toString());
        List<JsonNode> layers = parsed.path("layers").valueStream().toList();
        assertThat(layers).hasSize(image.layers().size());
        for (JsonNode layer : layers) {
            Digest digest = Digest.parse(layer.path("digest").asString());
            byte[] blob = Files.readAllBytes(pulled.resolve(digest.hex()));
            assertThat(Digest.sha256(blob)).as("layer " + digest).isEqualTo(digest);
            assertThat((long) blob.length).isEqualTo(layer.path("size").asLong());
        }
        assertThat(Digest.sha256(Files.readAllBytes(pulled.resolve(image.id().hex())))).isEqualTo(image.id());
    }

    /** docker's units.HumanSizeWithPrecision(size, 3), as {@code docker history} prints sizes. */
    private static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return new java.math.BigDecimal(size).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
                + units[unit];
    }
}
