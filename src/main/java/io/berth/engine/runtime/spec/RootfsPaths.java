package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside a container's root file system resolved as the container would see them: every symlink is followed
 * with the rootfs as {@code /}, so an absolute target or a run of {@code ..} never leaves it (moby's
 * FollowSymlinkInScope). An image is untrusted: its /etc/passwd may be a link to the host's.
 */
public final class RootfsPaths {

    /** Linux gives up after 40 links in one lookup; Docker allows 255. */
    private static final int MAX_LINKS = 255;

    private RootfsPaths() {
    }

    /**
     * The host path of {@code containerPath} (absolute or not, read from {@code /}) inside {@code rootfs}, with every
     * symlink resolved in scope. The result need not exist; it is always {@code rootfs} or below it.
     */
    public static Path resolve(Path rootfs, String containerPath) throws IOException {
        Path root = rootfs.toAbsolutePath().normalize();
        Deque<String> pending = new ArrayDeque<>(components(containerPath));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String component = pending.removeFirst();
            if (component.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(root, resolved).resolve(component);
            if (!Files.isSymbolicLink(candidate)) {
                resolved.add(component);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new IOException("too many symlinks resolving " + containerPath + " in " + root);
            }
            String target = Files.readSymbolicLink(candidate).toString();
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> targetComponents = components(target);
            for (int i = targetComponents.size() - 1; i >= 0; i--) {
                pending.addFirst(targetComponents.get(i));
            }
        }
        return join(root, resolved);
    }

    /** Whether {@code path} is a regular file itself (a fifo would block a reader, a directory cannot be read). */
    static boolean isRegularFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> components(String path) {
        List<String> components = new ArrayList<>();
        for (String component : path.split("/")) {
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        return components;
    }

    private static Path join(Path root, List<String> components) {
        Path path = root;
        for (String component : components) {
            path = path.resolve(component);
        }
        return path;
    }
}
