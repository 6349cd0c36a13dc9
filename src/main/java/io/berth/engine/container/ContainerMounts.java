package io.berth.engine.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.Mount;
import io.berth.engine.docker.MountPoint;

/**
 * A container's mounts as inspect and list show them: binds ({@code -v} and {@code --mount}), volumes (named ones and
 * its anonymous ones) and tmpfs, made from its record alone (nothing is read from disk: {@code docker ps} asks for
 * them for every container), in the order its settings mount them.
 */
final class ContainerMounts {

    private ContainerMounts() {
    }

    /**
     * @param volumeData the directory of a named volume's data
     */
    static List<MountPoint> of(ContainerRecord container, Function<String, Path> volumeData) {
        HostConfig hostConfig = container.hostConfig();
        List<MountPoint> mounts = new ArrayList<>();
        List<MountPoint> tmpfs = new ArrayList<>();
        Set<String> mounted = new HashSet<>();
        for (String spec : hostConfig.binds() == null ? List.<String>of() : hostConfig.binds()) {
            DockerConfigs.Bind bind;
            try {
                bind = DockerConfigs.Bind.parse(spec);
            } catch (BerthException e) {
                continue; // refused at create: cannot be there
            }
            mounted.add(bind.destination());
            mounts.add(bind.isVolume() ? volume(bind.source(), volumeData.apply(bind.source()), bind.destination(),
                    bind.readOnly()) : bind(bind.source(), bind.destination(), bind.readOnly(), bind.propagation()));
        }
        for (Mount mount : hostConfig.mounts() == null ? List.<Mount>of() : hostConfig.mounts()) {
            String target = mount.target();
            if (target == null || mount.type() == null) {
                continue;
            }
            mounted.add(target);
            switch (mount.type()) {
                case "bind" -> mounts.add(bind(Path.of(mount.source()).normalize().toString(), target,
                        mount.readOnly(), mount.bindOptions() == null ? null : mount.bindOptions().propagation()));
                case "volume" -> {
                    String name = DockerConfigs.emptyToNull(mount.source());
                    if (name == null) {
                        anonymous(container, target, mount.readOnly(), volumeData, mounts);
                    } else {
                        mounts.add(volume(name, volumeData.apply(name), target, mount.readOnly()));
                    }
                }
                case "tmpfs" -> tmpfs.add(tmpfs(target, DockerConfigs.tmpfsOptions(mount)));
                default -> {
                    // refused at create
                }
            }
        }
        if (hostConfig.tmpfs() != null) {
            hostConfig.tmpfs().forEach((destination, options) -> {
                mounted.add(destination);
                tmpfs.add(tmpfs(destination, options == null || options.isEmpty() ? null : options));
            });
        }
        if (container.config().volumes() != null) {
            for (String destination : new TreeSet<>(container.config().volumes().keySet())) {
                if (mounted.add(destination)) {
                    anonymous(container, destination, false, volumeData, mounts);
                }
            }
        }
        mounts.addAll(tmpfs);
        return List.copyOf(mounts);
    }

    private static void anonymous(ContainerRecord container, String destination, boolean readOnly,
            Function<String, Path> volumeData, List<MountPoint> mounts) {
        String name = container.anonymousVolumes().get(destination);
        if (name != null) {
            mounts.add(volume(name, volumeData.apply(name), destination, readOnly));
        }
    }

    private static MountPoint bind(String source, String destination, boolean readOnly, String propagation) {
        return new MountPoint("bind", null, Path.of(source).normalize().toString(), destination, null,
                readOnly ? "ro" : "", !readOnly, propagation == null || propagation.isEmpty() ? "rprivate"
                        : propagation);
    }

    private static MountPoint volume(String name, Path data, String destination, boolean readOnly) {
        return new MountPoint("volume", name, data.toString(), destination, "local", readOnly ? "ro" : "", !readOnly,
                "");
    }

    private static MountPoint tmpfs(String destination, String options) {
        return new MountPoint("tmpfs", null, "", destination, null, options == null ? "" : options,
                options == null || !List.of(options.split(",")).contains("ro"), "");
    }
}
