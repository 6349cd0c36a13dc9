package io.berth.engine.image;

import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.Descriptor;
import io.berth.common.oci.ImageConfiguration;
import io.berth.common.oci.ParsedManifest;
import io.berth.common.oci.Platform;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.docker.ProgressMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker pull}: resolves a reference to this node's image manifest, downloads config and missing layers
 * (in parallel, verified, shared with concurrent pulls), unpacks the layers in order into the graph driver, records
 * the image and points the reference at it, reporting progress as dockerd does.
 */
@Component
@OnEngine
public class ImagePuller {

    /** What a pull produced. {@code upToDate}: the reference already named this image. */
    public record PullResult(ImageRecord image, Digest digest, boolean upToDate) {
    }

    private final RegistryClient registry;
    private final ContentStore content;
    private final ImageStore images;
    private final ImageLayers unpacker;
    private final EngineEvents events;
    private final JsonMapper json;
    private final Platform platform = Platform.current();
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "engine-pull");
        thread.setDaemon(true);
        return thread;
    });

    public ImagePuller(RegistryClient registry, ContentStore content, ImageStore images, ImageLayers unpacker,
            EngineEvents events, JsonMapper json, Clock clock) {
        this.json = json;
        this.registry = registry;
        this.content = content;
        this.images = images;
        this.unpacker = unpacker;
        this.events = events;
        this.clock = clock;
    }

    /** Pulls on a thread of its own, for an HTTP answer that streams the progress. */
    public CompletableFuture<PullResult> start(PullPlan plan, PullProgress progress) {
        return CompletableFuture.supplyAsync(() -> pull(plan, progress), executor);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Resolves and pulls in one go. */
    public PullResult pull(ImageReference reference, RegistryAuth auth, PullProgress progress) {
        return pull(resolve(reference, auth), progress);
    }

    /**
     * Fetches the manifest {@code reference} names and, for an index, the one for this node's platform. Fails
     * ({@link ErrorKind#NOT_FOUND}) when there is none; a manifest asked for by digest must have that digest.
     */
    public PullPlan resolve(ImageReference reference, RegistryAuth auth) {
        ImageReference ref = reference.withDefaultTag();
        String asked = ref.digest() != null ? ref.digest().toString() : ref.tag();
        RegistryClient.FetchedManifest top = registry.manifest(ref, asked, auth);
        if (ref.digest() != null && !top.digest().equals(ref.digest())) {
            throw new BerthException(FAILED, "manifest verification failed for digest " + ref.digest()
                    + ": the registry sent content whose digest is " + top.digest());
        }
        RegistryClient.FetchedManifest image = top;
        if (top.parsed().isIndex()) {
            Descriptor chosen = select(top.parsed().manifests(), ref);
            image = registry.manifest(ref, chosen.digest().toString(), auth);
            if (!image.digest().equals(chosen.digest())) {
                throw new BerthException(FAILED, "manifest verification failed for digest " + chosen.digest()
                        + ": the registry sent content whose digest is " + image.digest());
            }
        }
        if (image.parsed().config() == null) {
            throw new BerthException(FAILED, "unsupported manifest media type: " + image.mediaType());
        }
        return new PullPlan(ref, auth, top, image);
    }

    /** The index entry for this node's platform, as dockerd picks it: the first that matches. */
    private Descriptor select(List<Descriptor> entries, ImageReference ref) {
        return entries.stream()
                .filter(entry -> entry.platform() != null && platform.matches(entry.platform()))
                .findFirst()
                .orElseThrow(() -> new BerthException(NOT_FOUND, "no matching manifest for " + platform
                        + " in the manifest list entries of " + ref.familiar()));
    }

    public PullResult pull(PullPlan plan, PullProgress progress) {
        List<Digest> blobs = new ArrayList<>();
        blobs.add(plan.manifest().config().digest());
        plan.manifest().layers().forEach(layer -> blobs.add(layer.digest()));
        content.lease(blobs);
        boolean done = false;
        try {
            PullResult result = transfer(plan, progress);
            done = true;
            return result;
        } finally {
            // A failed pull leaves no blob behind that no image uses (and no other pull is using right now).
            content.release(blobs, done ? digest -> true : digest -> images.blobInUse(digest, null));
        }
    }

    private PullResult transfer(PullPlan plan, PullProgress progress) {
        ImageReference ref = plan.reference();
        progress.report(ProgressMessage.status("Pulling from " + ref.path(),
                ref.digest() != null ? ref.digest().toString() : ref.tag()));
        ParsedManifest manifest = plan.manifest();
        Descriptor configDescriptor = manifest.config();
        join(content.fetch(configDescriptor, () -> registry.blob(ref, configDescriptor.digest(), plan.auth()),
                ContentStore.DownloadListener.NONE));
        Digest imageId = configDescriptor.digest();
        List<Digest> diffIds = diffIds(ImageConfigurations.read(json, content.read(imageId), imageId));
        List<Descriptor> blobs = manifest.layers();
        if (diffIds.size() != blobs.size()) {
            throw new BerthException(FAILED, "invalid image " + ref.familiar() + ": its manifest lists "
                    + blobs.size() + " layers, its config " + diffIds.size());
        }
        List<Digest> chainIds = ChainIds.of(diffIds);

        // Start every missing layer's download at once; ContentStore bounds how many actually run.
        List<CompletableFuture<Path>> downloads = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Descriptor blob = blobs.get(i);
            // The layer may be here from an image loaded or made on this node, its blob compressed otherwise: the
            // image's own blob is still fetched, so that it can be pushed and saved.
            if (unpacker.has(chainIds.get(i)) && content.has(blob.digest())) {
                progress.report(ProgressMessage.layer("Already exists", shortId(blob)));
                downloads.add(null);
                continue;
            }
            progress.report(ProgressMessage.layer("Pulling fs layer", shortId(blob)));
            Throttle throttle = new Throttle(clock);
            downloads.add(content.fetch(blob, () -> registry.blob(ref, blob.digest(), plan.auth()),
                    (current, total) -> {
                        if (throttle.due(current == total)) {
                            progress.report(ProgressMessage.layer("Downloading", shortId(blob), current, total));
                        }
                    }).thenApply(path -> {
                        progress.report(ProgressMessage.layer("Verifying Checksum", shortId(blob)));
                        progress.report(ProgressMessage.layer("Download complete", shortId(blob)));
                        return path;
                    }));
        }

        List<ImageRecord.Layer> layers = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Descriptor blob = blobs.get(i);
            Digest chainId = chainIds.get(i);
            Digest parent = i == 0 ? null : chainIds.get(i - 1);
            long size;
            try {
                if (downloads.get(i) == null) {
                    size = unpacker.existingSize(chainId);
                } else {
                    Path file = join(downloads.get(i));
                    Throttle throttle = new Throttle(clock);
                    size = unpacker.unpack(chainId, parent, diffIds.get(i), file, read -> {
                        if (throttle.due(read == blob.size())) {
                            progress.report(ProgressMessage.layer("Extracting", shortId(blob), read, blob.size()));
                        }
                    });
                    progress.report(ProgressMessage.layer("Pull complete", shortId(blob)));
                }
            } catch (BerthException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BerthException(FAILED, "failed to register layer " + blob.digest() + ": " + e.getMessage(), e);
            }
            layers.add(new ImageRecord.Layer(blob.digest(), blob.mediaType(), blob.size(), diffIds.get(i), chainId,
                    size));
        }

        content.put(Descriptor.of(plan.image().mediaType(), plan.image().digest(), plan.image().body().length),
                plan.image().body());
        if (!plan.top().digest().equals(plan.image().digest())) {
            content.put(Descriptor.of(plan.top().mediaType(), plan.top().digest(), plan.top().body().length),
                    plan.top().body());
        }
        boolean upToDate = ref.tag() != null
                ? images.resolve(ref.withTag(ref.tag())).filter(imageId::equals).isPresent()
                : images.get(imageId).isPresent();
        ImageRecord record = images.get(imageId)
                .orElseGet(() -> new ImageRecord(imageId, plan.image().digest(), layers, clock.instant()));
        List<ImageReference> refs = new ArrayList<>();
        refs.add(ref.withDigest(plan.topDigest()));
        if (ref.tag() != null && ref.digest() == null) {
            refs.add(ref.withTag(ref.tag()));
        }
        images.add(record, refs);

        progress.report(ProgressMessage.status("Digest: " + plan.topDigest()));
        progress.report(ProgressMessage.status((upToDate ? "Status: Image is up to date for "
                : "Status: Downloaded newer image for ") + ref.familiar()));
        events.publish("image", "pull", ref.familiar(), Map.of("name", ref.familiar()));
        return new PullResult(record, plan.topDigest(), upToDate);
    }

    private static List<Digest> diffIds(ImageConfiguration config) {
        if (config.rootfs() == null || config.rootfs().diffIds() == null) {
            throw new BerthException(FAILED, "invalid image config: no rootfs.diff_ids");
        }
        List<Digest> result = new ArrayList<>();
        for (String diffId : config.rootfs().diffIds()) {
            try {
                result.add(Digest.parse(diffId));
            } catch (InvalidDigestException e) {
                throw new BerthException(FAILED, "invalid image config: " + e.getMessage());
            }
        }
        return result;
    }

    /** The first 12 hex digits, as docker names layers in progress output. */
    private static String shortId(Descriptor blob) {
        return blob.digest().hex().substring(0, 12);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(FAILED, "pull interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BerthException failure) {
                throw failure;
            }
            throw new BerthException(FAILED, cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    /** At most a few progress lines per second per layer, plus the last one. */
    private static final class Throttle {
        private static final long INTERVAL_MILLIS = 250;
        private final Clock clock;
        private long last = Long.MIN_VALUE;

        Throttle(Clock clock) {
            this.clock = clock;
        }

        synchronized boolean due(boolean end) {
            long now = clock.millis();
            if (end || last == Long.MIN_VALUE || now - last >= INTERVAL_MILLIS) {
                last = now;
                return true;
            }
            return false;
        }
    }
}
