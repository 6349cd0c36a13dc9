package io.berth.engine.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.engine.docker.ContainerConfig;

/**
 * moby's merge of an image's config into a container's (daemon/commit.go {@code merge}): what the container does not
 * set comes from the image, so that inspect shows what runs, and the spec made from the merged Config alone is the
 * spec made from the container's and the image's ({@code docker update} makes it again without the image). Of moby's
 * merge, the Engine does not take the image's ExposedPorts and Volumes: no port is published by them and its VOLUMEs
 * are not made.
 */
final class ConfigMerge {

    private ConfigMerge() {
    }

    /** The container's {@code own} Config completed from {@code image}'s (null for an image without a config). */
    static ContainerConfig merge(ContainerConfig own, ContainerConfig image) {
        if (image == null) {
            return own;
        }
        List<String> entrypoint = own.entrypoint();
        List<String> cmd = own.cmd();
        if (entrypoint == null || entrypoint.isEmpty()) {
            if ((cmd == null || cmd.isEmpty()) && image.cmd() != null) {
                cmd = image.cmd();
            }
            if (entrypoint == null && image.entrypoint() != null) {
                entrypoint = image.entrypoint();
            }
        }
        return new ContainerConfig(own.hostname(), own.domainname(), orElse(own.user(), image.user()),
                own.attachStdin(), own.attachStdout(), own.attachStderr(), own.exposedPorts(), own.tty(),
                own.openStdin(), own.stdinOnce(), env(own.env(), image.env()), cmd,
                own.healthcheck() != null ? own.healthcheck() : image.healthcheck(), own.argsEscaped(), own.image(),
                own.volumes(), orElse(own.workingDir(), image.workingDir()), entrypoint, own.networkDisabled(),
                own.macAddress(), own.onBuild(), labels(own.labels(), image.labels()),
                orElse(own.stopSignal(), image.stopSignal()), own.stopTimeout(), own.shell());
    }

    /** The container's variables, then the image's whose names it does not set. */
    private static List<String> env(List<String> own, List<String> image) {
        if (image == null) {
            return own;
        }
        List<String> merged = new ArrayList<>(own == null ? List.of() : own);
        for (String variable : image) {
            String key = variable.split("=", 2)[0];
            if (merged.stream().noneMatch(mine -> mine.split("=", 2)[0].equals(key))) {
                merged.add(variable);
            }
        }
        return merged;
    }

    /** The image's labels, overridden by the container's; empty rather than none, as moby makes them. */
    private static Map<String, String> labels(Map<String, String> own, Map<String, String> image) {
        Map<String, String> labels = new LinkedHashMap<>(image == null ? Map.of() : image);
        if (own != null) {
            labels.putAll(own);
        }
        return labels;
    }

    private static String orElse(String own, String image) {
        if (own != null && !own.isEmpty()) {
            return own;
        }
        return image != null && !image.isEmpty() ? image : own;
    }
}
