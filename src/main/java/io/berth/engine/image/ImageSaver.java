package io.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.MediaTypes;
import io.berth.engine.OnEngine;
import io.berth.engine.graph.LayerUnpacker;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker save}: images as the tar archive Docker 25 and later write, which dockerd 20.10 loads as well: an OCI
 * image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}) holding each image's config byte for
 * byte, its layers uncompressed (named by their diff ids) and an OCI manifest of them, plus Docker's
 * {@code manifest.json} and {@code repositories} pointing into the blobs. A layer several images share is written
 * once. Streamed: a layer is decompressed twice (once to learn its size for the tar header), never held in memory.
 */
@Component
@OnEngine
public class ImageSaver {

    /** An image to save with the tags it goes under (none when it was named by id). */
    public record Saved(ImageRecord image, List<ImageReference> tags) {
    }

    private record OciDescriptor(String mediaType, String digest, long size,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations) {
    }

    private record OciManifest(int schemaVersion, String mediaType, OciDescriptor config, List<OciDescriptor> layers) {
    }

    private record OciIndex(int schemaVersion, String mediaType, List<OciDescriptor> manifests) {
    }

    private final ImageStore images;
    private final ContentStore content;
    private final JsonMapper json;

    public ImageSaver(ImageStore images, ContentStore content, JsonMapper json) {
        this.images = images;
        this.content = content;
        this.json = json;
    }

    /**
     * What {@code names} save, as dockerd reads them: an id (or unique prefix) saves the image untagged; a reference
     * with a tag or digest that image under that tag; a bare repository every tag of it.
     *
     * @throws BerthException ({@link ErrorKind#NOT_FOUND}) before anything is written, for a name that is no image
     */
    public List<Saved> plan(List<String> names) {
        if (names.isEmpty()) {
            throw new BerthException(ErrorKind.INVALID, "no image names given to save");
        }
        Map<Digest, Set<ImageReference>> tags = new LinkedHashMap<>();
        for (String name : names) {
            boolean reference = ImageReference.isValid(name);
            ImageReference parsed = reference ? ImageReference.parse(name) : null;
            if (parsed != null && parsed.tag() == null && parsed.digest() == null) {
                List<ImageReference> tagged = images.all().stream().flatMap(image -> images.references(image.id())
                        .stream()).filter(ref -> ref.tag() != null && ref.name().equals(parsed.name())).toList();
                if (!tagged.isEmpty()) {
                    for (ImageReference ref : tagged) {
                        tags.computeIfAbsent(images.resolve(ref).orElseThrow(), id -> new LinkedHashSet<>()).add(ref);
                    }
                    continue;
                }
            }
            ImageRecord image = images.find(name).orElseThrow(() -> new ImageNotFoundException(name));
            Set<ImageReference> forImage = tags.computeIfAbsent(image.id(), id -> new LinkedHashSet<>());
            if (parsed != null && parsed.tag() != null && images.resolve(parsed).isPresent()) {
                forImage.add(parsed);
            }
        }
        List<Saved> saved = new ArrayList<>();
        tags.forEach((id, refs) -> saved.add(new Saved(images.get(id).orElseThrow(() ->
                new ImageNotFoundException(id.toString())), List.copyOf(refs))));
        for (Saved image : saved) {
            for (ImageRecord.Layer layer : image.image().layers()) {
                if (!content.has(layer.blob())) { // said before the archive starts, not as a cut-off stream
                    throw new BerthException(ErrorKind.FAILED, "layer " + layer.diffId() + " of image "
                            + image.image().id() + " is not in this node's content store (blob " + layer.blob() + ")");
                }
            }
        }
        return saved;
    }

    /** Writes the archive of {@code saved} to {@code out} (not closed). */
    public void write(List<Saved> saved, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        Set<Digest> written = new LinkedHashSet<>();
        List<ArchiveManifest> manifests = new ArrayList<>();
        List<OciDescriptor> index = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Saved image : saved) {
            Digest id = image.image().id();
            byte[] config = content.read(id);
            if (written.add(id)) {
                blob(tar, id, config);
            }
            List<String> layerPaths = new ArrayList<>();
            List<OciDescriptor> layerDescriptors = new ArrayList<>();
            for (ImageRecord.Layer layer : image.image().layers()) {
                long size = uncompressedSize(layer);
                if (written.add(layer.diffId())) {
                    TarArchiveEntry entry = entry(path(layer.diffId()), size);
                    tar.putArchiveEntry(entry);
                    try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(content.path(layer.blob())))) {
                        long copied = in.transferTo(tar);
                        if (copied != size) {
                            throw new IOException("layer " + layer.diffId() + " changed while it was saved");
                        }
                    }
                    tar.closeArchiveEntry();
                }
                layerPaths.add(path(layer.diffId()));
                layerDescriptors.add(new OciDescriptor(MediaTypes.OCI_LAYER, layer.diffId().toString(), size, null));
            }
            byte[] manifest = json.writeValueAsBytes(new OciManifest(2, MediaTypes.OCI_MANIFEST,
                    new OciDescriptor(MediaTypes.OCI_CONFIG, id.toString(), config.length, null), layerDescriptors));
            Digest manifestDigest = Digest.sha256(manifest);
            if (written.add(manifestDigest)) {
                blob(tar, manifestDigest, manifest);
            }
            List<String> repoTags = image.tags().stream().map(ImageReference::familiar).toList();
            manifests.add(new ArchiveManifest(path(id), repoTags.isEmpty() ? null : repoTags, layerPaths));
            if (image.tags().isEmpty()) {
                index.add(new OciDescriptor(MediaTypes.OCI_MANIFEST, manifestDigest.toString(), manifest.length,
                        null));
            }
            List<ImageRecord.Layer> layers = image.image().layers();
            for (ImageReference tag : image.tags()) {
                index.add(new OciDescriptor(MediaTypes.OCI_MANIFEST, manifestDigest.toString(), manifest.length,
                        Map.of("io.containerd.image.name", tag.canonical(), "org.opencontainers.image.ref.name",
                                tag.tag())));
                if (!layers.isEmpty()) { // the legacy file names a tag's top layer, as docker's does
                    repositories.computeIfAbsent(tag.familiarName(), name -> new LinkedHashMap<>())
                            .put(tag.tag(), layers.get(layers.size() - 1).diffId().hex());
                }
            }
        }
        file(tar, "index.json", json.writeValueAsBytes(new OciIndex(2, MediaTypes.OCI_INDEX, index)));
        file(tar, "manifest.json", json.writeValueAsBytes(manifests));
        file(tar, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        if (!repositories.isEmpty()) {
            file(tar, "repositories", json.writeValueAsBytes(repositories));
        }
        tar.finish();
        tar.flush();
    }

    private long uncompressedSize(ImageRecord.Layer layer) throws IOException {
        try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(content.path(layer.blob())))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static String path(Digest digest) {
        return "blobs/sha256/" + digest.hex();
    }

    private static void blob(TarArchiveOutputStream tar, Digest digest, byte[] bytes) throws IOException {
        file(tar, path(digest), bytes);
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(0100644);
        entry.setSize(size);
        entry.setModTime(0);
        return entry;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(040755);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
