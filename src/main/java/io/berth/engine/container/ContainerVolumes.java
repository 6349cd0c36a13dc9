package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.Mount;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * One container's volumes while its settings are made: at create, named volumes are made when missing and anonymous
 * ones for every VOLUME; otherwise they are only looked up. Remembers which volumes are new, so that the image's
 * files at their destination can be copied in as Docker does.
 */
final class ContainerVolumes implements DockerConfigs.Volumes {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private final VolumeStore store;
    private final boolean create;
    private final Map<String, String> anonymous;
    private final Map<Path, String> names = new HashMap<>();
    private final Set<String> made = new LinkedHashSet<>();

    private ContainerVolumes(VolumeStore store, boolean create, Map<String, String> anonymous) {
        this.store = store;
        this.create = create;
        this.anonymous = new LinkedHashMap<>(anonymous);
    }

    /** For a container being created: volumes are made as they are named. */
    static ContainerVolumes creating(VolumeStore store) {
        return new ContainerVolumes(store, true, Map.of());
    }

    /** For an existing container: its volumes as they are. */
    static ContainerVolumes of(VolumeStore store, ContainerRecord container) {
        return new ContainerVolumes(store, false, container.anonymousVolumes());
    }

    @Override
    public Path named(String name) {
        if (!VolumeStore.isValidName(name)) {
            throw new BerthException(INVALID, "create " + name + ": \"" + name + "\" includes invalid characters for a "
                    + "local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a "
                    + "host directory, use absolute path");
        }
        if (create && store.create(name, Map.of(), Map.of(), false).isNew()) {
            made.add(name);
        }
        Path data = store.data(name);
        names.put(data, name);
        return data;
    }

    @Override
    public Path anonymous(String destination) {
        String name = anonymous.get(destination);
        if (name == null) {
            if (!create) {
                throw new BerthException(FAILED, "the container has no volume at " + destination);
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            name = HexFormat.of().formatHex(bytes);
            store.create(name, Map.of("com.docker.volume.anonymous", ""), Map.of(), true);
            made.add(name);
            anonymous.put(destination, name);
        }
        Path data = store.data(name);
        names.put(data, name);
        return data;
    }

    /** The anonymous volumes by destination, to keep with the container. */
    Map<String, String> anonymousVolumes() {
        return Map.copyOf(anonymous);
    }

    /** The name of the volume whose directory {@code source} is, or null for a host path. */
    String nameOf(Path source) {
        return names.get(source);
    }

    /** Volumes this create made, to remove again when the create fails. */
    List<String> made() {
        return List.copyOf(made);
    }

    /**
     * Docker's copy-up: a new, empty volume gets the files the image has at its destination, with their owners and
     * modes, so that a VOLUME of the image starts out with the image's content.
     */
    void copyImageContent(ContainerSettings settings, Path rootfs) throws IOException {
        for (ContainerSettings.BindMount bind : settings.binds()) {
            String name = names.get(bind.source());
            if (name == null || !made.contains(name)) {
                continue;
            }
            Path source = RootfsPaths.resolve(rootfs, bind.destination());
            if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            copyTree(source, bind.source());
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                owner(dir, copy);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(file).toString());
                if (attributes.isSymbolicLink()) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
                } else if (attributes.isRegularFile()) {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    return FileVisitResult.CONTINUE; // devices, fifos, sockets: nothing a volume needs
                }
                owner(file, copy);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void owner(Path from, Path to) throws IOException {
        FileStat stat = POSIX.lstat(from.toString());
        if (POSIX.lchown(to.toString(), stat.uid(), stat.gid()) != 0) {
            throw new IOException("cannot change the owner of " + to + ": errno " + POSIX.errno());
        }
        if (!stat.isSymlink() && POSIX.chmod(to.toString(), stat.mode() & 07777) != 0) {
            throw new IOException("cannot change the mode of " + to + ": errno " + POSIX.errno());
        }
    }

    /** The names of the volumes {@code container} mounts: named ones from Binds and Mounts, and its anonymous ones. */
    static Set<String> usedBy(ContainerRecord container) {
        Set<String> used = new LinkedHashSet<>(container.anonymousVolumes().values());
        HostConfig hostConfig = container.hostConfig();
        for (String bind : hostConfig.binds() == null ? List.<String>of() : hostConfig.binds()) {
            String source = bind.split(":", 2)[0];
            if (!source.startsWith("/")) {
                used.add(source);
            }
        }
        for (Mount mount : hostConfig.mounts() == null ? List.<Mount>of() : hostConfig.mounts()) {
            if ("volume".equals(mount.type()) && mount.source() != null && !mount.source().isEmpty()) {
                used.add(mount.source());
            }
        }
        return used;
    }

    /** The id of one of {@code containers} that mounts volume {@code name}, or null. */
    static String userOf(Collection<ContainerRecord> containers, String name) {
        for (ContainerRecord container : containers) {
            if (usedBy(container).contains(name)) {
                return container.id();
            }
        }
        return null;
    }
}
