package io.berth.engine.image;

import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.oci.ManifestParser;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.docker.ProgressMessage;

/**
 * {@code docker push}: sends the layers, config and manifest of a local image to its registry as dockerd does. Each
 * blob the registry already has is skipped ("Layer already exists"); one it has in another repository this image
 * came from is mounted ("Mounted from ..."); the rest are uploaded in one request each, several at a time, with
 * progress. The manifest goes up byte for byte as it was pulled, so the pushed digest is the pulled one.
 */
@Component
@OnEngine
public class ImagePusher {

    /** What {@code POST /images/{name}/push} pushes: the tags it names, checked before progress streams. */
    public record PushPlan(ImageReference repository, List<ImageReference> tags, RegistryAuth auth) {
    }

    private static final int PARALLEL_UPLOADS = 3;

    private final RegistryClient registry;
    private final ContentStore content;
    private final ImageStore images;
    private final EngineEvents events;
    private final ManifestParser manifests = new ManifestParser();
    private final ExecutorService uploads = Executors.newFixedThreadPool(PARALLEL_UPLOADS, runnable -> {
        Thread thread = new Thread(runnable, "engine-push");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService pushes = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "engine-push-stream");
        thread.setDaemon(true);
        return thread;
    });

    public ImagePusher(RegistryClient registry, ContentStore content, ImageStore images, EngineEvents events) {
        this.registry = registry;
        this.content = content;
        this.images = images;
        this.events = events;
    }

    @PreDestroy
    void stop() {
        pushes.shutdownNow();
        uploads.shutdownNow();
    }

    /**
     * The tags to push: {@code tag} of {@code name}, or every tag of that repository when {@code tag} is empty, as
     * {@code docker push repo} does. Fails ({@code NOT_FOUND}, dockerd's words) when there is no such local image.
     */
    public PushPlan plan(String name, String tag, RegistryAuth auth) {
        ImageReference repository = ImageReference.parse(name);
        if (repository.digest() != null) {
            throw new BerthException(INVALID, "cannot push a digest reference: " + name);
        }
        List<ImageReference> tags;
        if (tag != null && !tag.isEmpty()) {
            tags = List.of(repository.withTag(tag));
        } else if (repository.tag() != null) {
            tags = List.of(repository);
        } else {
            tags = images.all().stream().flatMap(image -> images.references(image.id()).stream())
                    .filter(ref -> ref.tag() != null && ref.digest() == null && ref.name().equals(repository.name()))
                    .sorted(java.util.Comparator.comparing(ImageReference::tag)).toList();
        }
        for (ImageReference ref : tags) {
            if (images.resolve(ref).isEmpty()) {
                throw new BerthException(NOT_FOUND, "An image does not exist locally with the tag: "
                        + ref.familiarName());
            }
        }
        if (tags.isEmpty()) {
            throw new BerthException(NOT_FOUND, "An image does not exist locally with the tag: "
                    + repository.familiarName());
        }
        return new PushPlan(repository, tags, auth);
    }

    /** Pushes on a thread of its own, for an HTTP answer that streams the progress. */
    public CompletableFuture<Void> start(PushPlan plan, PullProgress progress) {
        return CompletableFuture.runAsync(() -> push(plan, progress), pushes);
    }

    public void push(PushPlan plan, PullProgress progress) {
        progress.report(ProgressMessage.status("The push refers to repository [" + plan.repository().familiarName()
                + "]"));
        for (ImageReference tag : plan.tags()) {
            pushTag(tag, plan.auth(), progress);
        }
    }

    private void pushTag(ImageReference tag, RegistryAuth auth, PullProgress progress) {
        ImageRecord image = images.get(images.resolve(tag).orElseThrow(() -> new BerthException(NOT_FOUND, "An image does not exist locally with the tag: " + tag.familiarName())))
                .orElseThrow(() -> new BerthException(NOT_FOUND, "image of " + tag.familiar() + " is gone"));
        String mountSource = mountSource(image, tag);
        // Top layer first, as dockerd lists them.
        List<ImageRecord.Layer> layers = new ArrayList<>(image.layers());
        java.util.Collections.reverse(layers);
        for (ImageRecord.Layer layer : layers) {
            progress.report(ProgressMessage.layer("Preparing", shortId(layer.diffId())));
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (ImageRecord.Layer layer : layers) {
            sent.add(CompletableFuture.runAsync(() -> pushLayer(tag, layer, mountSource, auth, progress), uploads));
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        // The config has no progress line of its own in dockerd's output either.
        if (!registry.blobExists(tag, image.id(), auth)) {
            pushBlob(tag, image.id(), mountSource, auth, current -> { });
        }
        byte[] manifest = content.read(image.manifestDigest());
        Digest digest = registry.putManifest(tag, tag.tag(), manifest, manifests.parse(manifest, null).mediaType(),
                auth);
        progress.report(ProgressMessage.status(tag.tag() + ": digest: " + digest + " size: " + manifest.length));
        progress.report(ProgressMessage.pushed(tag.tag(), digest.toString(), manifest.length));
        events.publish("image", "push", tag.familiar(), Map.of("name", tag.familiar()));
    }

    private void pushLayer(ImageReference tag, ImageRecord.Layer layer, String mountSource, RegistryAuth auth,
            PullProgress progress) {
        String id = shortId(layer.diffId());
        if (registry.blobExists(tag, layer.blob(), auth)) {
            progress.report(ProgressMessage.layer("Layer already exists", id));
            return;
        }
        long total = layer.blobSize();
        boolean mounted = pushBlob(tag, layer.blob(), mountSource, auth,
                new Throttled(current -> progress.report(ProgressMessage.layer("Pushing", id, current, total))));
        progress.report(ProgressMessage.layer(mounted ? "Mounted from " + mountSource : "Pushed", id));
    }

    /** Sends one blob unless the registry mounts it; whether it was mounted. */
    private boolean pushBlob(ImageReference tag, Digest digest, String mountSource, RegistryAuth auth,
            java.util.function.LongConsumer sentSoFar) {
        if (!content.has(digest)) {
            throw new BerthException(FAILED, "blob " + digest + " of " + tag.familiar()
                    + " is not in this node's content store (pushed images must have been pulled here)");
        }
        URI session = registry.mountOrStartUpload(tag, digest, mountSource, auth);
        if (session == null) {
            return true;
        }
        Path path = content.path(digest);
        registry.uploadBlob(tag, session, digest, size(path), () -> open(path), sentSoFar, auth);
        return false;
    }

    /** Another repository of the same registry this image was pulled from or pushed to, for a cross-repo mount. */
    private String mountSource(ImageRecord image, ImageReference target) {
        return images.references(image.id()).stream()
                .filter(ref -> ref.registryHost().equals(target.registryHost()) && !ref.path().equals(target.path()))
                .map(ImageReference::path).findFirst().orElse(null);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(Path path) {
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String shortId(Digest digest) {
        return digest.hex().substring(0, 12);
    }

    /** Passes progress on every 512 KiB: enough for a bar, few lines on the wire. */
    private static final class Throttled implements java.util.function.LongConsumer {

        private static final long STEP = 512 * 1024;

        private final java.util.function.LongConsumer target;
        private long reported = -STEP;

        Throttled(java.util.function.LongConsumer target) {
            this.target = target;
        }

        @Override
        public void accept(long current) {
            if (current - reported >= STEP) {
                reported = current;
                target.accept(current);
            }
        }
    }
}
