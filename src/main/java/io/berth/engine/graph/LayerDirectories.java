package io.berth.engine.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.common.InvalidDigestException;

/**
 * The on-disk layout both drivers share, under {@code <data-dir>/engine/<driver>/}: {@code l/<12 hex of the chain
 * id>/} holds {@code diff/} (the layer's files), {@code chain} (the full chain id, to detect a prefix collision),
 * {@code parent} (the parent's chain id, empty for a base layer) and {@code size}. Layer directories are short on
 * purpose: overlayfs takes all lower directories in one mount option of at most a page.
 *
 * <p>A layer is built in {@code tmp/} and renamed into {@code l/} in one step, so a layer directory is either complete
 * or absent; a crash leaves only {@code tmp/} debris, cleared at start-up. Removal renames out of {@code l/} first for
 * the same reason.
 *
 * <p>Containers' writable layers live beside the layers, in {@code c/<first 12 characters of the container id>/}
 * with a file {@code id} (the full id) and {@code image} (the top chain id, empty for an image without layers), built
 * in {@code tmp/} and renamed into place the same way; what else is in there is the driver's.
 */
abstract class LayerDirectories implements GraphDriver {

    private static final int ID_LENGTH = 12;

    private final Path home;
    private final Path layers;
    private final Path staging;
    private final Path containers;
    private final ConcurrentHashMap<String, Object> containerLocks = new ConcurrentHashMap<>();

    /** Docker's container ids are 64 hex digits; names stay out of paths. */
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{" + (ID_LENGTH - 1) + ",127}");

    /** Fills a container directory being built in {@code tmp/}. */
    interface ContainerFiller {
        void fill(Path building) throws IOException;
    }

    LayerDirectories(Path engineDirectory, String name) throws IOException {
        this.home = engineDirectory.toAbsolutePath().normalize().resolve(name);
        this.layers = home.resolve("l");
        this.staging = home.resolve("tmp");
        this.containers = home.resolve("c");
        Files.createDirectories(layers);
        Files.createDirectories(containers);
        Files.createDirectories(staging);
        unmountStaleViews(staging);
        try (var debris = Files.list(staging)) {
            for (Path path : debris.toList()) {
                FileTrees.deleteTree(path);
            }
        }
    }

    /**
     * Read-only views are mounted under {@code tmp/}; one a crash left mounted must be unmounted before {@code tmp/}
     * is cleared, or the clearing would try to delete inside it.
     */
    private static void unmountStaleViews(Path staging) throws IOException {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) {
            return;
        }
        String prefix = staging.toString() + "/";
        List<String> stale = new ArrayList<>();
        for (String line : Files.readAllLines(mounts)) {
            String[] fields = line.split(" ");
            // /proc/self/mounts escapes spaces and the like as octal; staging paths have none
            if (fields.length > 1 && fields[1].startsWith(prefix)) {
                stale.add(fields[1]);
            }
        }
        stale.sort(java.util.Comparator.reverseOrder());
        for (String mountPoint : stale) {
            OverlayMounts.unmount(Path.of(mountPoint));
        }
    }

    /** A new empty directory (0755) in {@code tmp/}, for the caller to fill and delete. */
    Path emptyDirectory() throws IOException {
        Path directory = Files.createDirectory(staging.resolve("view-" + UUID.randomUUID()));
        Libc.chmod(directory.toString(), 0755);
        return directory;
    }

    /** How the unpacker treats whiteouts for this driver. */
    abstract LayerUnpacker.Whiteouts whiteouts();

    /** Fills the empty {@code diff} directory before the archive is unpacked onto it (vfs: the parent's tree). */
    abstract void prepare(Path diff, String parentChainId) throws IOException;

    Path home() {
        return home;
    }

    @Override
    public boolean hasLayer(String chainId) {
        Path directory = layerDirectory(chainId);
        try {
            return Files.isDirectory(directory.resolve("diff")) && chainId.equals(read(directory, "chain"));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Path layerPath(String chainId) {
        return layerDirectory(chainId).resolve("diff");
    }

    @Override
    public long createLayer(String chainId, String parentChainId, Digest expectedDiffId, InputStream archive)
            throws IOException {
        Path target = layerDirectory(chainId);
        if (hasLayer(chainId)) {
            return size(chainId); // a chain id names the content: the archive would unpack to the same tree
        }
        if (parentChainId != null && !hasLayer(parentChainId)) {
            throw new IOException("cannot create layer " + chainId + ": its parent " + parentChainId
                    + " is not in the " + name() + " store");
        }
        Path building = staging.resolve("create-" + UUID.randomUUID());
        Files.createDirectory(building);
        try {
            Path diff = Files.createDirectory(building.resolve("diff"));
            Libc.chmod(diff.toString(), 0755);
            prepare(diff, parentChainId);
            long size = LayerUnpacker.unpack(archive, expectedDiffId, diff, whiteouts());
            Files.writeString(building.resolve("chain"), chainId);
            Files.writeString(building.resolve("parent"), parentChainId == null ? "" : parentChainId);
            Files.writeString(building.resolve("size"), Long.toString(size));
            try {
                Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                // Another call created the layer first (same chain id, so the same content) or a prefix collides.
                FileTrees.deleteTree(building);
                if (!hasLayer(chainId)) {
                    throw new IOException("cannot create layer " + chainId + ": " + target + " holds "
                            + (Files.exists(target.resolve("chain")) ? read(target, "chain") : "something else"), raced);
                }
            }
            return size;
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.deleteTreeQuietly(building, e);
            throw e;
        }
    }

    @Override
    public void removeLayer(String chainId) throws IOException {
        if (!hasLayer(chainId)) {
            return;
        }
        Path removing = staging.resolve("remove-" + UUID.randomUUID());
        Files.move(layerDirectory(chainId), removing, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteTree(removing);
    }

    /** The layer's parent chain id, or null for a base layer. */
    public String parent(String chainId) throws IOException {
        requireLayer(chainId);
        String parent = read(layerDirectory(chainId), "parent");
        return parent.isEmpty() ? null : parent;
    }

    /** The layer and its ancestors, the layer first: the order overlayfs wants its lower directories in. */
    public List<String> chain(String chainId) throws IOException {
        List<String> chain = new ArrayList<>();
        for (String id = chainId; id != null; id = parent(id)) {
            chain.add(id);
        }
        return chain;
    }

    /** The unpacked size createLayer returned for this layer. */
    public long size(String chainId) throws IOException {
        requireLayer(chainId);
        return Long.parseLong(read(layerDirectory(chainId), "size"));
    }

    private void requireLayer(String chainId) throws IOException {
        if (!hasLayer(chainId)) {
            throw new IOException("layer " + chainId + " is not in the " + name() + " store");
        }
    }

    /** One lock per container: creating, mounting and removing one container's rootfs never interleave. */
    Object containerLock(String containerId) {
        return containerLocks.computeIfAbsent(containerId, id -> new Object());
    }

    /**
     * The container's directory, created on the first call: built in {@code tmp/} by {@code filler}, then renamed into
     * {@code c/}. Refuses a directory that holds another container (a prefix collision) or this container over another
     * image.
     */
    Path containerDirectory(String containerId, String topChainId, ContainerFiller filler) throws IOException {
        Path existing = existingContainerDirectory(containerId);
        String image = topChainId == null ? "" : topChainId;
        if (existing != null) {
            String had = read(existing, "image");
            if (!had.equals(image)) {
                throw new IOException("the rootfs of container " + containerId + " is over "
                        + (had.isEmpty() ? "no image layers" : had) + ", not " + (image.isEmpty() ? "none" : image));
            }
            return existing;
        }
        Path building = staging.resolve("container-" + UUID.randomUUID());
        Files.createDirectory(building);
        try {
            Libc.chmod(building.toString(), 0711);
            filler.fill(building);
            Files.writeString(building.resolve("image"), image);
            Files.writeString(building.resolve("id"), containerId);
            Path target = containerPath(containerId);
            Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.deleteTreeQuietly(building, e);
            throw e;
        }
    }

    /** The container's directory, or null when it has none. */
    Path existingContainerDirectory(String containerId) throws IOException {
        Path directory = containerPath(containerId);
        if (FileTrees.attributes(directory) == null) {
            return null;
        }
        String id = Files.exists(directory.resolve("id")) ? read(directory, "id") : "";
        if (!id.equals(containerId)) {
            throw new IOException("cannot use " + directory + " for container " + containerId + ": it holds "
                    + (id.isEmpty() ? "something else" : "container " + id));
        }
        return directory;
    }

    /** The container's directory; an IOException naming the container when it has none. */
    Path requireContainerDirectory(String containerId) throws IOException {
        Path directory = existingContainerDirectory(containerId);
        if (directory == null) {
            throw new IOException("container " + containerId + " has no rootfs in the " + name() + " store");
        }
        return directory;
    }

    /** Renames the container's directory out of {@code c/} and deletes it; the caller unmounted what was mounted. */
    void deleteContainerDirectory(String containerId) throws IOException {
        Path directory = existingContainerDirectory(containerId);
        if (directory == null) {
            return;
        }
        Path removing = staging.resolve("remove-" + UUID.randomUUID());
        Files.move(directory, removing, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteTree(removing);
    }

    private Path containerPath(String containerId) {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("invalid container id \"" + containerId + "\"");
        }
        return containers.resolve(containerId.substring(0, ID_LENGTH));
    }

    private Path layerDirectory(String chainId) {
        Digest digest = Digest.parse(chainId);
        if (digest.algorithm() != DigestAlgorithm.SHA256) {
            throw new InvalidDigestException(chainId);
        }
        return layers.resolve(digest.hex().substring(0, ID_LENGTH));
    }

    private static String read(Path directory, String file) throws IOException {
        return Files.readString(directory.resolve(file), StandardCharsets.UTF_8);
    }
}
