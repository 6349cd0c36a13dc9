package io.berth.engine.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import io.berth.common.Digest;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;

/** {@code docker tag}, {@code docker rmi} and {@code docker image prune} on the node's images. */
@Service
@OnEngine
public class ImageService {

    /** One line of a removal's answer: {@code {"Untagged": ref}} or {@code {"Deleted": id}}. */
    public record Removal(String kind, String value) {

        public Map<String, String> toMap() {
            return Map.of(kind, value);
        }
    }

    /** What prune removed and the unpacked bytes it freed. */
    public record Pruned(List<Removal> removals, long spaceReclaimed) {
    }

    private final ImageStore images;
    private final ContentStore content;
    private final ImageLayers layers;
    private final EngineEvents events;
    private final ObjectProvider<ImageUsers> users;

    public ImageService(ImageStore images, ContentStore content, ImageLayers layers, EngineEvents events,
            ObjectProvider<ImageUsers> users) {
        this.images = images;
        this.content = content;
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
            throw new InvalidReferenceException("refusing to create a tag with a digest reference");
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
    public synchronized List<Removal> remove(String name, boolean force) {
        ImageRecord image = get(name);
        List<ImageReference> refs = images.references(image.id());
        List<Removal> removals = new ArrayList<>();
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
                throw new ImageConflictException("conflict: unable to delete " + image.shortId()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
        }
        Optional<ImageUsers.User> user = Optional.ofNullable(users.getIfAvailable()).flatMap(u -> u.userOf(image.id()));
        if (user.isPresent() && (user.get().running() || !force)) {
            throw new ImageConflictException("conflict: unable to delete " + image.shortId() + " ("
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
        List<Removal> removals = new ArrayList<>();
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

    private void untag(ImageRecord image, ImageReference ref, List<Removal> removals, Set<Digest> manifests) {
        if (images.untag(ref)) {
            removals.add(new Removal("Untagged", ref.familiar()));
            if (ref.digest() != null) {
                manifests.add(ref.digest());
            }
            events.publish("image", "untag", image.id().toString(), Map.of("name", image.id().toString()));
        }
    }

    /** Deletes the image and whatever of it no other image needs; returns the unpacked bytes freed. */
    private long delete(ImageRecord image, List<Removal> removals, Set<Digest> manifests) {
        images.remove(image.id());
        removals.add(new Removal("Deleted", image.id().toString()));
        long freed = 0;
        List<ImageRecord.Layer> stack = new ArrayList<>(image.layers());
        java.util.Collections.reverse(stack);
        Set<Digest> blobs = new LinkedHashSet<>(manifests);
        blobs.add(image.manifestDigest());
        blobs.add(image.id());
        try {
            for (ImageRecord.Layer layer : stack) {
                blobs.add(layer.blob());
                if (!images.layerInUse(layer.chainId(), image.id()) && layers.has(layer.chainId())) {
                    layers.remove(layer.chainId());
                    removals.add(new Removal("Deleted", layer.chainId().toString()));
                    freed += layer.size();
                }
            }
            for (Digest blob : blobs) {
                if (!images.blobInUse(blob, image.id())) {
                    content.delete(blob);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the layers of image " + image.id(), e);
        }
        events.publish("image", "delete", image.id().toString(), Map.of("name", image.id().toString()));
        return freed;
    }

    /** The references of {@code image} in docker's two lists: tags and digests, familiar, sorted. */
    public Map<String, List<String>> repoTagsAndDigests(ImageRecord image) {
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (ImageReference ref : images.references(image.id())) {
            (ref.digest() != null ? digests : tags).add(ref.familiar());
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        result.put("RepoTags", tags);
        result.put("RepoDigests", digests);
        return result;
    }
}
