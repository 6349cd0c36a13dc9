package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.Dockerd;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.OciImages;
import io.berth.support.RequiredTools;
import tools.jackson.databind.JsonNode;

/** {@code docker save} and {@code docker load} through the Engine with the docker CLI. */
class DockerCliSaveLoadTest extends BerthIntegrationTest {

    @TempDir
    Path temp;

    private EngineWithBusybox engine;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void busybox() {
        EngineRequirement.assumeEngine();
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-save");
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            images.forEach(image -> engine.docker("rmi", "-f", image));
            engine.close();
        }
    }

    private String id(String image) {
        return engine.docker("image", "inspect", "--format", "{{.Id}}", image).assertSuccess().stdout().strip();
    }

    @Test
    void savedImagesLoadBackWithTheirIdsAndTagsAndRun() throws IOException {
        String copy = "engine-save/copy-" + UUID.randomUUID().toString().substring(0, 8) + ":2";
        engine.docker("tag", engine.image(), copy).assertSuccess();
        images.add(copy);
        String imported = "engine-save/imported-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(imported);
        Path rootfs = temp.resolve("rootfs.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(rootfs))) {
            file(tar, "greeting.txt", "imported\n");
        }
        engine.docker("import", rootfs.toString(), imported).assertSuccess();
        String id = id(engine.image());
        String importedId = id(imported);
        Path archive = temp.resolve("saved.tar");
        engine.docker("save", "-o", archive.toString(), engine.image(), copy, imported).assertSuccess();

        // The archive is Docker 25's: an OCI layout and docker's manifest.json, pointing into the same blobs.
        List<String> names = entryNames(archive);
        assertThat(names).contains("index.json", "manifest.json", "oci-layout", "repositories",
                "blobs/sha256/" + Digest.parse(id).hex(), "blobs/sha256/" + Digest.parse(importedId).hex());
        JsonNode manifest = OciImages.parse(entry(archive, "manifest.json"));
        assertThat(manifest).hasSize(2); // busybox under two tags, and the imported image
        assertThat(manifest.get(0).path("Config").asString()).isEqualTo("blobs/sha256/" + Digest.parse(id).hex());
        assertThat(manifest.get(0).path("RepoTags").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder(engine.image(), copy);
        assertThat(manifest.get(1).path("RepoTags").valueStream().map(JsonNode::asString).toList())
                .containsExactly(imported);
        for (JsonNode image : manifest) {
            for (JsonNode layer : image.path("Layers")) {
                byte[] tar = entry(archive, layer.asString());
                assertThat("blobs/sha256/" + Digest.sha256(tar).hex()).as("an uncompressed layer named by its diff id")
                        .isEqualTo(layer.asString());
            }
        }
        JsonNode index = OciImages.parse(entry(archive, "index.json"));
        assertThat(index.path("manifests").valueStream().map(m -> m.path("annotations")
                .path("org.opencontainers.image.ref.name").asString()).toList()).containsExactly("1", "2", "1");

        engine.docker("rmi", copy, engine.image(), imported).assertSuccess();
        assertThat(engine.docker("image", "inspect", id).exitCode()).isNotZero();
        assertThat(engine.docker("image", "inspect", importedId).exitCode()).isNotZero();

        Commands.Result loaded = engine.docker("load", "-i", archive.toString()).assertSuccess();
        assertThat(loaded.stdout().lines().toList()).containsExactly("Loaded image: " + engine.image(),
                "Loaded image: " + copy, "Loaded image: " + imported);
        assertThat(id(copy)).isEqualTo(id);
        assertThat(id(engine.image())).isEqualTo(id);
        assertThat(id(imported)).isEqualTo(importedId);
        assertThat(engine.docker("run", "--rm", copy, "echo", "loaded").assertSuccess().stdout()).isEqualTo("loaded\n");
        String container = "engine-save-cat-" + UUID.randomUUID().toString().substring(0, 8);
        engine.removeAfterwards(container);
        engine.docker("create", "--name", container, imported, "/greeting.txt").assertSuccess();
        engine.docker("cp", container + ":/greeting.txt", temp.resolve("greeting.txt").toString()).assertSuccess();
        assertThat(temp.resolve("greeting.txt")).hasContent("imported");
    }

    @Test
    void loadReportsEachNewLayerAsDockerdDoes() throws IOException {
        // An image of its own: a layer other tests also pulled would be on the node already, and so not new.
        String image = uniqueImage("progress");
        String id = id(image);
        Path archive = temp.resolve("progress.tar");
        engine.docker("save", "-o", archive.toString(), image).assertSuccess();
        JsonNode manifest = OciImages.parse(entry(archive, "manifest.json"));
        engine.docker("rmi", image).assertSuccess();

        // The docker CLI asks for progress when its output is a terminal; without one it passes quiet=1.
        List<JsonNode> lines = load(engineSocket(), archive, false);
        List<String> expected = new ArrayList<>();
        for (JsonNode layer : manifest.get(0).path("Layers")) {
            String hex = layer.asString().substring("blobs/sha256/".length());
            long size = entry(archive, layer.asString()).length;
            JsonNode progress = lines.stream().filter(line -> line.path("id").asString("").equals(hex.substring(0, 12)))
                    .reduce((first, last) -> last).orElseThrow(() -> new AssertionError("no progress of " + hex
                            + " in " + lines));
            assertThat(progress.path("status").asString()).isEqualTo("Loading layer");
            assertThat(progress.path("progressDetail").path("current").asLong()).isEqualTo(size);
            assertThat(progress.path("progressDetail").path("total").asLong()).isEqualTo(size);
            expected.add(hex);
        }
        assertThat(expected).isNotEmpty();
        assertThat(lines.get(lines.size() - 1).path("stream").asString()).isEqualTo("Loaded image: " + image
                + "\n");
        assertThat(id(image)).isEqualTo(id);

        // Loaded again: every layer is there already, so only the image line.
        List<JsonNode> again = load(engineSocket(), archive, false);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).path("stream").asString()).isEqualTo("Loaded image: " + image + "\n");
    }

    @Test
    void dockerdLoadsWhatBerthSavesAndBerthLoadsWhatDockerdSaves() throws IOException {
        String id = id(engine.image());
        Path fromBerth = temp.resolve("from-berth.tar");
        engine.docker("save", "-o", fromBerth.toString(), engine.image()).assertSuccess();
        List<JsonNode> berthProgress = load(engineSocket(), fromBerth, false); // all layers there: one line

        String made = "engine-save/made-by-dockerd-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(made);
        Path fromDockerd = temp.resolve("from-dockerd.tar");
        String madeId;
        List<String> dockerdHistory;
        try (Dockerd dockerd = Dockerd.start()) {
            assertThat(dockerd.docker("load", "-i", fromBerth.toString()).assertSuccess().stdout())
                    .contains("Loaded image: " + engine.image());
            assertThat(dockerd.docker("image", "inspect", "--format", "{{.Id}}", engine.image()).assertSuccess()
                    .stdout().strip()).isEqualTo(id);
            assertThat(dockerd.docker("run", "--rm", "--network", "none", engine.image(), "echo", "on dockerd")
                    .assertSuccess().stdout()).isEqualTo("on dockerd\n");

            // dockerd's own progress has the shape Berth's has: the same keys, the last line the loaded image.
            dockerd.docker("rmi", engine.image()).assertSuccess();
            List<JsonNode> dockerdProgress = load(dockerd.socket(), fromBerth, false);
            assertThat(dockerdProgress.get(0).path("status").asString()).isEqualTo("Loading layer");
            assertThat(dockerdProgress.get(dockerdProgress.size() - 1)).isEqualTo(
                    berthProgress.get(berthProgress.size() - 1));

            // A change dockerd commits (a file added, one deleted), saved in dockerd 20.10's format beside its base.
            dockerd.docker("run", "--name", "maker", "--network", "none", engine.image(), "sh", "-c",
                    "echo made by dockerd > /made && rm /bin/tr").assertSuccess();
            dockerd.docker("commit", "-c", "CMD [\"cat\", \"/made\"]", "maker", made).assertSuccess();
            dockerd.docker("rm", "maker").assertSuccess();
            madeId = dockerd.docker("image", "inspect", "--format", "{{.Id}}", made).assertSuccess().stdout().strip();
            dockerdHistory = dockerd.docker(history(made)).assertSuccess().stdout().lines().toList();
            dockerd.docker("save", "-o", fromDockerd.toString(), made, engine.image()).assertSuccess();
        }

        engine.docker("rmi", engine.image()).assertSuccess(); // so that its layers too come from dockerd's archive
        Commands.Result loaded = engine.docker("load", "-i", fromDockerd.toString()).assertSuccess();
        assertThat(loaded.stdout().lines().toList()).containsExactlyInAnyOrder("Loaded image: " + made,
                "Loaded image: " + engine.image()); // in the order of dockerd's manifest.json, which varies
        assertThat(id(made)).isEqualTo(madeId);
        assertThat(id(engine.image())).isEqualTo(id);
        assertThat(engine.docker("run", "--rm", made).assertSuccess().stdout()).isEqualTo("made by dockerd\n");
        assertThat(engine.docker("run", "--rm", made, "sh", "-c", "test -e /bin/tr || echo tr deleted")
                .assertSuccess().stdout()).isEqualTo("tr deleted\n");
        List<String> history = engine.docker(history(made)).assertSuccess().stdout().lines().toList();
        assertThat(history.get(0)).contains("echo made by dockerd > /made");
        assertThat(history).as("docker history as dockerd shows it").isEqualTo(dockerdHistory);

        // The busybox layers stay for the image dockerd made; pulled again, busybox brings its own blobs with it,
        // not compressed as the load compressed them, so that it saves (and pushes) as pulled.
        engine.docker("rmi", engine.image()).assertSuccess();
        engine.docker("pull", engine.image()).assertSuccess();
        engine.docker("save", "-o", temp.resolve("pulled-again.tar").toString(), engine.image()).assertSuccess();
    }

    /** {@code docker history} of {@code image}, a row per step: all but the ids (dockerd keeps its parents'). */
    private static String[] history(String image) {
        return new String[] {"history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}|{{.Comment}}|{{.CreatedAt}}",
            image};
    }

    @Test
    void anImageSavedByIdLoadsUntagged() throws IOException {
        String id = id(engine.image());
        Path archive = temp.resolve("by-id.tar");
        engine.docker("save", "-o", archive.toString(), id.substring("sha256:".length(), 19)).assertSuccess();
        assertThat(OciImages.parse(entry(archive, "manifest.json")).get(0).path("RepoTags").isNull()).isTrue();
        Path gzipped = temp.resolve("by-id.tar.gz"); // docker save | gzip, loaded as it is
        try (InputStream in = Files.newInputStream(archive);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            in.transferTo(out);
        }
        engine.docker("rmi", engine.image()).assertSuccess();
        assertThat(engine.docker("image", "inspect", id).exitCode()).isNotZero();
        Commands.Result loaded = engine.docker("load", "-i", gzipped.toString()).assertSuccess();
        assertThat(loaded.stdout()).isEqualTo("Loaded image ID: " + id + "\n");
        assertThat(engine.docker("run", "--rm", id, "echo", "by id").assertSuccess().stdout()).isEqualTo("by id\n");
        engine.docker("tag", id, engine.image()).assertSuccess(); // for the fixture to remove
    }

    @Test
    void unknownImagesAndBadArchivesAreRefusedAndStoreNothing() throws IOException {
        assertThat(engine.docker("save", "-o", temp.resolve("x.tar").toString(), "engine-save/none:1").assertFailure()
                .stderr()).contains("No such image: engine-save/none:1");
        int before = engine.docker("images", "-q", "--no-trunc").assertSuccess().stdout().lines().toList().size();

        Path escaping = temp.resolve("escaping.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(escaping))) {
            file(tar, "manifest.json", "[]");
            file(tar, "../evil", "x");
        }
        assertThat(engine.docker("load", "-i", escaping.toString()).assertFailure().stderr())
                .contains("invalid image archive: entry \"../evil\": path \"../evil\" has a \"..\" component");
        assertThat(temp.getParent().resolve("evil")).doesNotExist();

        String unknownDiffId = "sha256:" + Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .hex();
        String missingTag = "engine-save/missing-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(missingTag);
        Path missing = temp.resolve("missing.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(missing))) {
            file(tar, "c.json", config(unknownDiffId));
            file(tar, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"" + missingTag
                    + "\"],\"Layers\":[\"l/layer.tar\"]}]");
        }
        assertThat(engine.docker("load", "-i", missing.toString()).assertFailure().stderr())
                .contains("Error response from daemon: invalid image archive: layer l/layer.tar is not in it");
        assertThat(engine.docker("image", "inspect", missingTag).exitCode()).isNotZero();

        // An archive whose layer is not the one its config names: refused, nothing stored. The image is one of its
        // own, so that no other image on the node has the layer the load must take from the archive.
        String image = uniqueImage("tampered-source");
        String id = id(image);
        Path saved = temp.resolve("good.tar");
        engine.docker("save", "-o", saved.toString(), image).assertSuccess();
        Path tampered = temp.resolve("tampered.tar");
        JsonNode manifest = OciImages.parse(entry(saved, "manifest.json"));
        String firstLayer = manifest.get(0).path("Layers").get(0).asString();
        String tag = "engine-save/tampered-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(tag);
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(saved));
             TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tampered))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (entry.getName().equals(firstLayer)) {
                    data = emptyTar();
                } else if (entry.getName().equals("manifest.json")) {
                    data = new String(data, StandardCharsets.UTF_8).replace(image, tag)
                            .getBytes(StandardCharsets.UTF_8);
                }
                TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
                copy.setMode(entry.getMode());
                copy.setSize(entry.isDirectory() ? 0 : data.length);
                out.putArchiveEntry(copy);
                out.write(entry.isDirectory() ? new byte[0] : data);
                out.closeArchiveEntry();
            }
        }
        engine.docker("rmi", image).assertSuccess(); // so that the layer must come from the archive
        assertThat(engine.docker("load", "-i", tampered.toString()).assertFailure().stderr())
                .contains("invalid diffID for layer 0: expected \"sha256:");
        assertThat(engine.docker("image", "inspect", tag).exitCode()).isNotZero();
        assertThat(engine.docker("image", "inspect", id).exitCode()).isNotZero();
        int after = engine.docker("images", "-q", "--no-trunc").assertSuccess().stdout().lines().toList().size();
        assertThat(after).isEqualTo(before);
        try (Stream<Path> left = Files.list(dataDir().resolve("engine").resolve("load"))) {
            assertThat(left).as("what the refused loads unpacked").isEmpty();
        }
    }

    @Test
    void dockerd20ArchivesWithSymlinkedLayersLoad() throws IOException {
        // dockerd 20.10's format: <layer id>/layer.tar (a second image's copy a symlink to the first), <id>.json.
        String id = id(engine.image());
        Path saved = temp.resolve("new.tar");
        engine.docker("save", "-o", saved.toString(), engine.image()).assertSuccess();
        JsonNode manifest = OciImages.parse(entry(saved, "manifest.json"));
        String tag = "engine-save/legacy-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        String twin = "engine-save/twin-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(tag);
        images.add(twin);
        Path legacy = temp.resolve("legacy.tar");
        byte[] config = entry(saved, manifest.get(0).path("Config").asString());
        StringBuilder layers = new StringBuilder();
        StringBuilder twinLayers = new StringBuilder();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(legacy))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int n = 0;
            for (JsonNode layer : manifest.get(0).path("Layers")) {
                String dir = "layer" + n;
                file(out, dir + "/VERSION", "1.0");
                file(out, dir + "/layer.tar", entry(saved, layer.asString()));
                TarArchiveEntry link = new TarArchiveEntry("twin" + n + "/layer.tar", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("../" + dir + "/layer.tar");
                out.putArchiveEntry(link);
                out.closeArchiveEntry();
                layers.append(n == 0 ? "" : ",").append('"').append(dir).append("/layer.tar\"");
                twinLayers.append(n == 0 ? "" : ",").append("\"twin").append(n).append("/layer.tar\"");
                n++;
            }
            file(out, Digest.parse(id).hex() + ".json", config);
            file(out, "manifest.json", "[{\"Config\":\"" + Digest.parse(id).hex() + ".json\",\"RepoTags\":[\"" + tag
                    + "\"],\"Layers\":[" + layers + "]},{\"Config\":\"" + Digest.parse(id).hex() + ".json\","
                    + "\"RepoTags\":[\"" + twin + "\"],\"Layers\":[" + twinLayers + "]}]");
        }
        engine.docker("rmi", engine.image()).assertSuccess();
        Commands.Result loaded = engine.docker("load", "-i", legacy.toString()).assertSuccess();
        assertThat(loaded.stdout()).contains("Loaded image: " + tag).contains("Loaded image: " + twin);
        assertThat(id(tag)).isEqualTo(id);
        assertThat(engine.docker("run", "--rm", twin, "echo", "legacy").assertSuccess().stdout()).isEqualTo("legacy\n");

        // A symlink that leads out of the archive is refused.
        Path outward = temp.resolve("outward.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(outward))) {
            TarArchiveEntry link = new TarArchiveEntry("layer.tar", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/shadow");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            file(out, "c.json", config("sha256:" + Digest.sha256(UUID.randomUUID().toString()
                    .getBytes(StandardCharsets.UTF_8)).hex()));
            file(out, "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"layer.tar\"]}]");
        }
        assertThat(engine.docker("load", "-i", outward.toString()).assertFailure().stderr())
                .contains("invalid image archive: path layer.tar leads outside the archive (layer.tar is a symlink to "
                        + "/etc/shadow)");
    }

    /** A config of one layer with this diff id. */
    private static String config(String diffId) {
        return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}";
    }

    /** {@code POST /images/load} of {@code archive} with curl, as the CLI sends it; the JSON lines answered. */
    static List<JsonNode> load(Path socket, Path archive, boolean quiet) {
        Path curl = RequiredTools.require("curl", "curl");
        Commands.Result result = Commands.of(curl.toString(), "-sS", "--fail-with-body", "--unix-socket",
                socket.toString(), "-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary",
                "@" + archive, "http://docker/v1.41/images/load?quiet=" + (quiet ? 1 : 0)).run().assertSuccess();
        return result.stdout().lines().map(line -> OciImages.parse(line.getBytes(StandardCharsets.UTF_8))).toList();
    }

    /** A one-layer image no other image on the node shares a layer with, tagged {@code engine-save/<name>-<random>:1}. */
    private String uniqueImage(String name) throws IOException {
        String tag = "engine-save/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(tag);
        Path rootfs = temp.resolve(name + "-rootfs.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(rootfs))) {
            file(tar, "unique.txt", UUID.randomUUID() + "\n");
        }
        engine.docker("import", rootfs.toString(), tag).assertSuccess();
        return tag;
    }

    private static byte[] emptyTar() {
        return new byte[1024];
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        file(tar, name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static List<String> entryNames(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    static byte[] entry(Path archive, String name) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getName().equals(name)) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " is not in " + archive);
    }

}
