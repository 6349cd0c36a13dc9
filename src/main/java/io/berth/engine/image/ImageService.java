package io.berth.engine.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.docker.ImageDeleteItem;
import tools.jackson.databind.json.JsonMapper;

/** {@code docker tag}, {@code docker rmi} and {@code docker image prune} on the node's images. */
@Service
@OnEngine
public class ImageService {

    /** What prune removed and the unpacked bytes it freed. */
    public record Pruned(List<ImageDeleteItem> removals, long spaceReclaimed) {
    }

    /** The references of an image in docker's two lists, familiar and sorted: by tag and by digest. */
    public record Names(List<String> tags, List<String> digests) {
    }

    private final ImageStore images;
    private final ContentStore content;
    private final JsonMapper json;
    private final ImageLayers layers;
    private final EngineEvents events;
    private final ObjectProvider<ImageUsers> users;

    public ImageService(ImageStore images, ContentStore content, JsonMapper json, ImageLayers layers,
            EngineEvents events, ObjectProvider<ImageUsers> users) {
        this.images = images;
        this.content = content;
        this.json = json;
        this.layers = layers;
        this.events = events;
        this.users = users;
    }

    /** The image {@code name} (reference, id or id prefix) designates, or {@link ImageNotFoundException}. */
    public ImageRecord get(String name) {
        return images.find(name).orElseThrow(() -> new ImageNotFoundException(name));
    }

    /** Points {@code repository:tag} at the image {@code source} names. */
    public void tag(String source, String repository, String tag) {
        ImageRecord image = get(source);
        ImageReference target = ImageReference.parse(repository);
        if (target.digest() != null) {
            throw new BerthException(ErrorKind.INVALID, "refusing to create a tag with a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            target = target.withTag(tag);
        }
        target = target.withDefaultTag();
        images.tag(target, image.id());
        events.publish("image", "tag", image.id().toString(), Map.of("name", target.familiar()));
    }

    /**
     * {@code docker rmi name}: removes the reference {@code name} is, or every reference when it is an id; the
     * image itself and the layers no other image uses go with its last reference.
     */
    public synchronized List<ImageDeleteItem> remove(String name, boolean force) {
        ImageRecord image = get(name);
        List<ImageReference> refs = images.references(image.id());
        List<ImageDeleteItem> removals = new ArrayList<>();
        Set<Digest> manifests = new LinkedHashSet<>();
        boolean byReference = ImageReference.isValid(name)
                && images.resolve(ImageReference.parse(name).withDefaultTag()).isPresent();
        if (byReference) {
            ImageReference ref = ImageReference.parse(name).withDefaultTag();
            untag(image, ref, removals, manifests);
            refs = images.references(image.id());
            if (ref.digest() == null && refs.stream().noneMatch(r -> r.digest() == null && r.name().equals(ref.name()))) {
                // The last tag of this repository went: its digest references go with it, as with dockerd.
                for (ImageReference other : refs) {
                    if (other.digest() != null && other.name().equals(ref.name())) {
                        untag(image, other, removals, manifests);
                    }
                }
                refs = images.references(image.id());
            }
            if (!refs.isEmpty()) {
                return removals;
            }
        } else {
            long repositories = refs.stream().map(ImageReference::name).distinct().count();
            if (repositories > 1 && !force) {
                throw new BerthException(ErrorKind.CONFLICT, "conflict: unable to delete " + image.shortId()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
        }
        Optional<ImageUsers.User> user = Optional.ofNullable(users.getIfAvailable()).flatMap(u -> u.userOf(image.id()));
        if (user.isPresent() && (user.get().running() || !force)) {
            throw new BerthException(ErrorKind.CONFLICT, "conflict: unable to delete " + image.shortId() + " ("
                    + (user.get().running() ? "cannot be forced" : "must be forced") + ") - image is being used by "
                    + (user.get().running() ? "running" : "stopped") + " container "
                    + user.get().containerId().substring(0, Math.min(12, user.get().containerId().length())));
        }
        for (ImageReference ref : images.references(image.id())) {
            untag(image, ref, removals, manifests);
        }
        delete(image, removals, manifests);
        return removals;
    }

    /** Removes dangling images (no tag), or with {@code all} every image no container uses. */
    public synchronized Pruned prune(boolean all) {
        List<ImageDeleteItem> removals = new ArrayList<>();
        long reclaimed = 0;
        ImageUsers usage = users.getIfAvailable();
        for (ImageRecord image : images.all()) {
            List<ImageReference> refs = images.references(image.id());
            boolean dangling = refs.stream().noneMatch(ref -> ref.tag() != null);
            if ((!dangling && !all) || (usage != null && usage.userOf(image.id()).isPresent())) {
                continue;
            }
            Set<Digest> manifests = new LinkedHashSet<>();
            for (ImageReference ref : refs) {
                untag(image, ref, removals, manifests);
            }
            reclaimed += delete(image, removals, manifests);
        }
        return new Pruned(removals, reclaimed);
    }

    private void untag(ImageRecord image, ImageReference ref, List<ImageDeleteItem> removals, Set<Digest> manifests) {
        if (images.untag(ref)) {
            removals.add(ImageDeleteItem.untagged(ref.familiar()));
            if (ref.digest() != null) {
                manifests.add(ref.digest());
            }
            events.publish("image", "untag", image.id().toString(), Map.of("name", image.id().toString()));
        }
    }

    /** Deletes the image and whatever of it no other image needs; returns the unpacked bytes freed. */
    private long delete(ImageRecord image, List<ImageDeleteItem> removals, Set<Digest> manifests) {
        images.remove(image.id());
        removals.add(ImageDeleteItem.deleted(image.id().toString()));
        long freed = 0;
        List<ImageRecord.Layer> stack = new ArrayList<>(image.layers());
        Collections.reverse(stack);
        Set<Digest> blobs = new LinkedHashSet<>(manifests);
        blobs.add(image.manifestDigest());
        blobs.add(image.id());
        try {
            for (ImageRecord.Layer layer : stack) {
                blobs.add(layer.blob());
                if (!images.layerInUse(layer.chainId(), image.id()) && layers.has(layer.chainId())) {
                    layers.remove(layer.chainId());
                    removals.add(ImageDeleteItem.deleted(layer.chainId().toString()));
                    freed += layer.size();
                }
            }
            for (Digest blob : blobs) {
                if (!images.blobInUse(blob, image.id())) {
                    content.delete(blob);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the layers of image " + image.id(), e);
        }
        events.publish("image", "delete", image.id().toString(), Map.of("name", image.id().toString()));
        return freed;
    }

    /** The references of {@code image} in docker's two lists: tags and digests, familiar, sorted. */
    public Names names(ImageRecord image) {
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (ImageReference ref : images.references(image.id())) {
            (ref.digest() != null ? digests : tags).add(ref.familiar());
        }
        return new Names(List.copyOf(tags), List.copyOf(digests));
    }

    /** {@link #names} keyed as docker names the lists, {@code RepoTags} and {@code RepoDigests}. */
    public Map<String, List<String>> repoTagsAndDigests(ImageRecord image) {
        Names names = names(image);
        Map<String, List<String>> result = new LinkedHashMap<>();
        result.put("RepoTags", names.tags());
        result.put("RepoDigests", names.digests());
        return result;
    }

    /** The image's configuration blob, read from the content store. */
    public ImageConfiguration config(ImageRecord image) {
        return ImageConfigurations.read(json, content.read(image.id()), image.id());
    }
}
