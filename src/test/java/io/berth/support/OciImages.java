package io.berth.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import io.berth.common.oci.MediaTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds small but real OCI images from the machine's static busybox, so that registry tests push what
 * real clients push: three gzip layers, an image config with diff_ids, an OCI manifest, and optionally an
 * OCI index with two platforms.
 *
 * <p>Everything is deterministic (fixed timestamps, owners and order), so the same inputs give the same
 * digests; ask for a {@code unique} image to get different digests on every call (a random file in the
 * last layer), e.g. when a test must not find its blobs already in the shared registry.
 */
public final class OciImages {

    public static final String MANIFEST_TYPE = MediaTypes.OCI_MANIFEST;
    public static final String INDEX_TYPE = MediaTypes.OCI_INDEX;
    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

    /** Where busybox-static installs; its binary runs without any library in the image. */
    public static final String BUSYBOX = "/bin/busybox";

    private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** The applets the test image has as commands, as a real busybox image has (there: all of them). */
    public static final List<String> APPLETS = List.of("sh", "echo", "cat", "ls", "ps", "id", "hostname", "mount",
            "tail", "head", "grep", "sleep", "wc", "touch", "true", "false", "env", "pwd", "kill", "mkdir", "rm", "top",
            "stat", "date", "printf", "seq", "dd", "whoami", "cp", "test", "tr", "wget", "httpd", "ip", "sort", "nc");

    /** The busybox and symlink layers never change within a run; build them once. */
    private static Layer busyboxLayer;
    private static Layer symlinkLayer;

    private OciImages() {
    }

    /** Content plus its digest ({@code sha256:<hex>}) and the media type it is pushed with. */
    public record Blob(String digest, byte[] bytes, String mediaType) {

        public static Blob of(byte[] bytes, String mediaType) {
            return new Blob(sha256(bytes), bytes, mediaType);
        }

        public long size() {
            return bytes.length;
        }

        /** The digest without {@code sha256:}, as used in blobs/sha256/ paths and as podman's image ID. */
        public String hex() {
            return digest.substring("sha256:".length());
        }

        /** This blob as an OCI descriptor (mediaType, digest, size). */
        public ObjectNode descriptor() {
            ObjectNode node = JSON.createObjectNode();
            node.put("mediaType", mediaType);
            node.put("digest", digest);
            node.put("size", size());
            return node;
        }
    }

    /**
     * One image's pieces, ready to push over plain HTTP: blobs first ({@link #blobs()}), then the manifest.
     *
     * @param diffIds digests of the uncompressed layer tars, as the config's rootfs lists them
     */
    public record Image(Blob manifest, Blob config, List<Blob> layers, List<String> diffIds) {

        /** Config and layers: everything the manifest references. */
        public List<Blob> blobs() {
            List<Blob> blobs = new ArrayList<>();
            blobs.add(config);
            blobs.addAll(layers);
            return blobs;
        }
    }

    /** A multi-platform image: the index and the per-platform images it lists (amd64 first, then arm64). */
    public record ImageIndex(Blob index, List<Image> manifests) {
    }

    /** An OCI image layout on disk and the manifest or index that {@code tag} names in its index.json. */
    public record Layout(Path dir, String tag, Blob root) {

        /** The layout as skopeo and podman name it: {@code oci:<dir>:<tag>}. */
        public String reference() {
            return "oci:" + dir + ":" + tag;
        }
    }

    /** The same busybox image on every call (linux/amd64). */
    public static Image busybox() {
        return busybox(false);
    }

    /** A linux/amd64 busybox image; {@code unique} puts a random file in it, so its digests are new. */
    public static Image busybox(boolean unique) {
        return image("amd64", layers(unique));
    }

    /** An index with linux/amd64 and linux/arm64 manifests: same layers, configs differing in architecture. */
    public static ImageIndex busyboxIndex(boolean unique) {
        List<Layer> layers = layers(unique);
        List<Image> images = new ArrayList<>();
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        ArrayNode manifests = index.putArray("manifests");
        for (String architecture : List.of("amd64", "arm64")) {
            Image image = image(architecture, layers);
            images.add(image);
            ObjectNode entry = image.manifest().descriptor();
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", architecture);
            platform.put("os", "linux");
            manifests.add(entry);
        }
        return new ImageIndex(Blob.of(JSON.writeValueAsBytes(index), INDEX_TYPE), List.copyOf(images));
    }

    /** Writes a busybox image as an OCI layout in {@code dir} (created if missing). */
    public static Layout busyboxLayout(Path dir, String tag, boolean unique) {
        return writeLayout(dir, tag, busybox(unique));
    }

    /** Writes {@code image} as an OCI layout in {@code dir}, its manifest tagged {@code tag}. */
    public static Layout writeLayout(Path dir, String tag, Image image) {
        List<Blob> blobs = new ArrayList<>(image.blobs());
        blobs.add(image.manifest());
        return writeLayout(dir, tag, image.manifest(), blobs);
    }

    /** Writes {@code index} as an OCI layout in {@code dir}, the index tagged {@code tag}. */
    public static Layout writeLayout(Path dir, String tag, ImageIndex index) {
        List<Blob> blobs = new ArrayList<>();
        for (Image image : index.manifests()) {
            blobs.addAll(image.blobs());
            blobs.add(image.manifest());
        }
        blobs.add(index.index());
        return writeLayout(dir, tag, index.index(), blobs);
    }

    /** The digest that {@code tag} names in the index.json of the layout at {@code dir}. */
    public static String taggedDigest(Path dir, String tag) {
        JsonNode index = JSON.readTree(read(dir.resolve("index.json")));
        for (JsonNode entry : index.get("manifests")) {
            JsonNode annotations = entry.get("annotations");
            if (annotations != null && annotations.has(REF_NAME_ANNOTATION)
                    && tag.equals(annotations.get(REF_NAME_ANNOTATION).asString())) {
                return entry.get("digest").asString();
            }
        }
        throw new AssertionError("no manifest tagged " + tag + " in " + dir.resolve("index.json"));
    }

    /** The bytes stored for {@code digest} in the layout at {@code dir}. */
    public static byte[] readBlob(Path dir, String digest) {
        return read(dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length())));
    }

    public static JsonNode parse(byte[] json) {
        return JSON.readTree(json);
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Layout writeLayout(Path dir, String tag, Blob root, List<Blob> blobs) {
        try {
            Path blobDir = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            for (Blob blob : blobs) {
                Files.write(blobDir.resolve(blob.hex()), blob.bytes());
            }
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", INDEX_TYPE);
            ObjectNode entry = root.descriptor();
            entry.putObject("annotations").put(REF_NAME_ANNOTATION, tag);
            index.putArray("manifests").add(entry);
            Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
            return new Layout(dir, tag, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write OCI layout to " + dir, e);
        }
    }

    private static Image image(String architecture, List<Layer> layers) {
        Blob config = Blob.of(config(architecture, layers), CONFIG_TYPE);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.set("config", config.descriptor());
        ArrayNode layerDescriptors = manifest.putArray("layers");
        layers.forEach(layer -> layerDescriptors.add(layer.compressed().descriptor()));
        return new Image(Blob.of(JSON.writeValueAsBytes(manifest), MANIFEST_TYPE), config,
                layers.stream().map(Layer::compressed).toList(),
                layers.stream().map(Layer::diffId).toList());
    }

    private static byte[] config(String architecture, List<Layer> layers) {
        ObjectNode config = JSON.createObjectNode();
        config.put("created", CREATED.toString());
        config.put("architecture", architecture);
        config.put("os", "linux");
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runConfig.putArray("Cmd").add("sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode history = config.putArray("history");
        for (Layer layer : layers) {
            diffIds.add(layer.diffId());
            ObjectNode step = history.addObject();
            step.put("created", CREATED.toString());
            step.put("created_by", layer.createdBy());
        }
        return JSON.writeValueAsBytes(config);
    }

    private static List<Layer> layers(boolean unique) {
        return List.of(busyboxLayer(), symlinkLayer(), etcLayer(unique));
    }

    private static synchronized Layer busyboxLayer() {
        if (busyboxLayer == null) {
            RequiredTools.require(BUSYBOX, "busybox-static");
            byte[] busybox = read(Path.of(BUSYBOX));
            busyboxLayer = Layer.build("berth-test: COPY /bin/busybox /bin/busybox", tar -> {
                tar.directory("bin/");
                tar.file("bin/busybox", 0755, busybox);
            });
        }
        return busyboxLayer;
    }

    private static synchronized Layer symlinkLayer() {
        if (symlinkLayer == null) {
            symlinkLayer = Layer.build("berth-test: RUN busybox --install", tar -> {
                // The directories a busybox image has; the runtime mounts over some of them.
                for (String directory : List.of("dev/", "home/", "home/app/", "proc/", "root/", "sys/", "tmp/", "var/")) {
                    tar.directory(directory);
                }
                for (String applet : APPLETS) {
                    tar.symlink("bin/" + applet, "busybox");
                }
            });
        }
        return symlinkLayer;
    }

    private static Layer etcLayer(boolean unique) {
        // A unique image differs only here, so the big busybox layer is still shared between images.
        String buildId = unique ? randomHex() : "fixed";
        return Layer.build("berth-test: ADD etc/", tar -> {
            tar.directory("etc/");
            tar.file("etc/passwd", 0644, bytes("root:x:0:0:root:/root:/bin/sh\n"
                    + "app:x:1000:1000:app:/home/app:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"));
            tar.file("etc/group", 0644, bytes("root:x:0:\nstaff:x:50:app\napp:x:1000:\nnogroup:x:65534:\n"));
            tar.file("etc/berth-build-id", 0644, bytes(buildId + "\n"));
        });
    }

    private static String randomHex() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return HEX.formatHex(random);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A file's bytes, for tests that compare what a client wrote. */
    public static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A layer: its gzip blob, the digest of its uncompressed tar, and the history line that made it. */
    private record Layer(Blob compressed, String diffId, String createdBy) {

        static Layer build(String createdBy, TarContent content) {
            byte[] tar = TarWriter.write(content);
            return new Layer(Blob.of(gzip(tar), LAYER_TYPE), sha256(tar), createdBy);
        }

        private static byte[] gzip(byte[] data) {
            GzipParameters parameters = new GzipParameters();
            // Fixed header fields, so the compressed bytes (and the layer digest) depend on content only.
            parameters.setModificationTime(0);
            parameters.setOperatingSystem(255);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out, parameters)) {
                gzip.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    @FunctionalInterface
    private interface TarContent {
        void addTo(TarWriter tar) throws IOException;
    }

    /** Writes tar entries owned by root with a fixed mtime: what a reproducible image build produces. */
    private static final class TarWriter {
        private final TarArchiveOutputStream tar;

        private TarWriter(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        static byte[] write(TarContent content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                content.addTo(new TarWriter(tar));
                tar.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        void directory(String name) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setMode(040755);
            put(entry, new byte[0]);
        }

        void file(String name, int permissions, byte[] content) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setMode(0100000 | permissions);
            entry.setSize(content.length);
            put(entry, content);
        }

        void symlink(String name, String target) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(target);
            entry.setMode(0120777);
            put(entry, new byte[0]);
        }

        private void put(TarArchiveEntry entry, byte[] content) throws IOException {
            entry.setModTime(CREATED.toEpochMilli());
            entry.setIds(0, 0);
            entry.setNames("root", "root");
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
    }
}
