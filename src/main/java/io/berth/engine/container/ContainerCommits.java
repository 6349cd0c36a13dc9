package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.FileChange;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImageChanges;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageReference;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.ImageWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker commit} and {@code docker diff}: what a container changed in its image's file system, listed, or made
 * into a new image of the store (the container's image plus one layer of those changes, with the container's config
 * and the {@code --change} instructions), as dockerd does it. The container is paused meanwhile unless asked not to be,
 * so the layer is one moment's state.
 */
@Service
@OnEngine
public class ContainerCommits {

    /** A tar with no entries: dockerd adds no layer for it, only a history entry marked empty. */
    private static final Digest EMPTY_TAR = Digest.parse(
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

    /**
     * What to commit.
     *
     * @param config  the run configuration to give the image; null: the container's
     * @param changes Dockerfile instructions applied to it ({@code CMD ["sh"]}, {@code ENV A=b})
     */
    public record CommitRequest(String container, String repository, String tag, String comment, String author,
            List<String> changes, boolean pause, ContainerConfig config) {

        public CommitRequest {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    private final ContainerStore store;
    private final ContainerLifecycle lifecycle;
    private final ContainerEvents containerEvents;
    private final GraphDriver graph;
    private final ContentStore content;
    private final ImageStore images;
    private final ImageWriter writer;
    private final EngineEvents events;
    private final JsonMapper json;
    private final Clock clock;

    ContainerCommits(ContainerStore store, ContainerLifecycle lifecycle, ContainerEvents containerEvents,
            GraphDriver graph, ContentStore content, ImageStore images, ImageWriter writer, EngineEvents events,
            JsonMapper json, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.containerEvents = containerEvents;
        this.graph = graph;
        this.content = content;
        this.images = images;
        this.writer = writer;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** The changes of container {@code idOrName}, as {@code GET /containers/{id}/changes} lists them. */
    public List<FileChange> changes(String idOrName) throws IOException {
        ContainerRecord container = store.resolve(idOrName);
        try {
            return graph.changes(container.id());
        } catch (IOException e) {
            if (store.byId(container.id()).isEmpty()) {
                throw new BerthException(NOT_FOUND, "No such container: " + idOrName);
            }
            throw e;
        }
    }

    /** Makes the image; returns its id. Bad input ({@code --change}, a reference) fails before anything is written. */
    public Digest commit(CommitRequest request) throws IOException {
        ContainerRecord container = store.resolve(request.container());
        ImageReference reference = ImageReference.forNewImage(request.repository(), request.tag(), "commit to");
        ObjectNode config = json.valueToTree(request.config() != null ? request.config() : container.config());
        ImageChanges.apply(json, config, request.changes());
        ImageRecord parent = container.imageId() == null ? null : images.get(Digest.parse(container.imageId()))
                .orElseThrow(() -> new BerthException(CONFLICT, "cannot commit container " + container.shortId()
                        + ": its image " + container.imageId() + " is no longer on this node"));

        Path file = content.newTempFile("commit-");
        try {
            LayerBlob layer = writeLayer(container, request.pause(), file);
            boolean empty = layer.diffId().equals(EMPTY_TAR);
            Instant now = clock.instant();
            String createdBy = String.join(" ", container.config().cmd() == null ? List.of()
                    : container.config().cmd());
            ImageConfiguration.History history = new ImageConfiguration.History(now.toString(), createdBy,
                    emptyAsNull(request.author()), emptyAsNull(request.comment()), empty ? Boolean.TRUE : null);
            ImageRecord image = writer.write(new ImageWriter.ImageDraft(parent, empty ? List.of() : List.of(layer),
                    config, List.of(history), request.author(), request.comment(), null, now),
                    reference == null ? List.of() : List.of(reference));
            containerEvents.publish(container, "commit", Map.of("comment", request.comment() == null ? ""
                    : request.comment()));
            if (reference != null) {
                events.publish("image", "tag", image.id().toString(), Map.of("name", reference.familiar()));
            }
            return image.id();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The container's changes as a layer, written while it is paused when it runs and {@code pause} asks for it. */
    private LayerBlob writeLayer(ContainerRecord container, boolean pause, Path file) throws IOException {
        ContainerState state = container.state();
        boolean pausing = pause && state.isRunning() && !state.isPaused();
        if (pausing) {
            lifecycle.pause(container.id(), true);
        }
        try {
            return LayerBlob.write(file, LayerBlob.DEFAULT_LEVEL, tar -> graph.writeChanges(container.id(), tar));
        } finally {
            if (pausing) {
                try {
                    lifecycle.pause(container.id(), false);
                } catch (BerthException e) {
                    // it stopped meanwhile: there is nothing to resume
                }
            }
        }
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
