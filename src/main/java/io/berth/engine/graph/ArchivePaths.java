package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside an unpacked archive (a build context, an image archive being loaded), resolved as long as they stay in
 * it: symlinks between its files are followed (dockerd 20.10's {@code docker save} links a shared layer to its first
 * copy), a {@code ..} above the root, an absolute symlink or a relative one that climbs out is refused. Unlike a
 * container's root, where an absolute link means the root itself, an archive's absolute link means the sender's
 * machine: nothing of it is here. {@link #resolveInScope} walks a root file system the container's way instead.
 */
public final class ArchivePaths {

    /** Linux gives up after 40 links in one lookup; Docker allows 255. */
    private static final int MAX_LINKS = 255;

    /** A path that would leave the archive; {@link #link} names the symlink that would have led out, if one did. */
    public static final class OutsideException extends IOException {

        private final String link;
        private final String target;

        OutsideException(String path, String link, String target) {
            super("path " + path + " leads outside the archive" + (link == null ? "" : " (" + link
                    + " is a symlink to " + target + ")"));
            this.link = link;
            this.target = target;
        }

        /** The symlink, relative to the root; null when a {@code ..} left the root. */
        public String link() {
            return link;
        }

        public String target() {
            return target;
        }
    }

    private ArchivePaths() {
    }

    /** {@code name} (relative to {@code root}) with the archive's symlinks followed; need not exist. */
    public static Path resolve(Path root, String name) throws IOException {
        return walk(root, name, false);
    }

    /**
     * {@code name} inside a root file system as the container sees it: every symlink is followed with {@code root}
     * as {@code /}, so an absolute target or a run of {@code ..} never leaves it (moby's FollowSymlinkInScope). The
     * result need not exist; it is always {@code root} or below it.
     */
    public static Path resolveInScope(Path root, String name) throws IOException {
        return walk(root, name, true);
    }

    private static Path walk(Path root, String name, boolean inScope) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(name));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String component = pending.removeFirst();
            if (component.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                } else if (!inScope) {
                    throw new OutsideException(name, null, null);
                }
                continue;
            }
            Path candidate = join(root, resolved).resolve(component);
            if (!Files.isSymbolicLink(candidate)) {
                resolved.add(component);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new IOException("too many symlinks resolving " + name);
            }
            String target = Libc.readlink(candidate.toString());
            List<String> targetComponents = components(target);
            if (inScope) {
                if (target.startsWith("/")) {
                    resolved.clear();
                }
            } else {
                refuseOutside(name, resolved, component, target, targetComponents);
            }
            for (int i = targetComponents.size() - 1; i >= 0; i--) {
                pending.addFirst(targetComponents.get(i));
            }
        }
        return join(root, resolved);
    }

    /** An archive's link may lead anywhere in it, but not to an absolute path nor above its root. */
    private static void refuseOutside(String name, List<String> resolved, String component, String target,
            List<String> targetComponents) throws OutsideException {
        String link = resolved.isEmpty() ? component : String.join("/", resolved) + "/" + component;
        if (target.startsWith("/")) {
            throw new OutsideException(name, link, target);
        }
        int depth = resolved.size();
        for (String part : targetComponents) {
            depth += part.equals("..") ? -1 : 1;
            if (depth < 0) {
                throw new OutsideException(name, link, target);
            }
        }
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
