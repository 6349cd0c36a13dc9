package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;

/**
 * A container's changes written as a layer and unpacked again by the Engine's own unpacker onto the same image give the
 * container's tree: files added and changed, deletions (whiteouts hide the lower files in a real overlay mount), an
 * opaque directory, owners, modes, setuid, times, xattrs, symlinks, hard links, fifos and devices. With both drivers.
 */
class LayerChangesTest {

    private static final String BASE = GraphDriversTest.chainId("changes-base");
    private static final String CHANGED = GraphDriversTest.chainId("changes-changed");
    private static final byte[] CAPABILITY = HexFormat.of().parseHex("0100000200200000000000000000000000000000");

    @TempDir
    Path temp;

    private static String containerId() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private static byte[] baseLayer() {
        return new TestTar()
                .dir("etc/", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
                .file("etc/deleted", "goes away", 0644)
                .file("etc/changed", "before", 0644)
                .dir("gone/", 0755).file("gone/inside", "x", 0644)
                .dir("opaque/", 0755).file("opaque/old", "hidden by the opaque directory", 0644)
                .dir("tmp/", 01777)
                .tar();
    }

    /** What a RUN step might do, done through the container's root file system. */
    private static void change(Path root) throws IOException {
        Files.delete(root.resolve("etc/deleted"));
        Files.writeString(root.resolve("etc/changed"), "after, and longer");
        Files.delete(root.resolve("gone/inside"));
        Files.delete(root.resolve("gone"));
        Files.delete(root.resolve("opaque/old"));
        Files.delete(root.resolve("opaque"));
        Files.createDirectory(root.resolve("opaque"));
        Files.writeString(root.resolve("opaque/new"), "only this");
        Path bin = Files.createDirectories(root.resolve("usr/local/bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\necho tool\n");
        Libc.chmod(tool.toString(), 04755);
        Libc.lchown(tool.toString(), 1000, 1000);
        Libc.chmod(tool.toString(), 04755);
        Libc.lsetxattr(tool.toString(), "security.capability", CAPABILITY);
        Libc.lsetxattr(tool.toString(), "user.note", "ünïcode".getBytes(StandardCharsets.UTF_8));
        Libc.link(tool.toString(), bin.resolve("tool-alias").toString());
        Libc.symlink("tool", bin.resolve("tool-link").toString());
        Libc.mknod(root.resolve("tmp/fifo").toString(), Libc.S_IFIFO | 0640, 0, 0);
        Libc.mknod(root.resolve("tmp/null").toString(), Libc.S_IFCHR | 0666, 1, 3);
        Files.writeString(root.resolve("tmp/" + "long-name-".repeat(15)), "a name longer than 100 bytes");
        Libc.chmod(root.resolve("etc").toString(), 0750);
        Files.setLastModifiedTime(root.resolve("etc/changed"), FileTime.fromMillis(1_600_000_000_123L));
    }

    @Test
    void overlayChangesRoundTripThroughTheUnpacker() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver driver = new OverlayDriver(temp.resolve("engine"));
        roundTrip(driver);
    }

    @Test
    void vfsChangesRoundTripThroughTheUnpacker() throws IOException {
        KernelFeatures.requireRoot();
        VfsDriver driver = new VfsDriver(temp.resolve("engine"));
        roundTrip(driver);
    }

    private void roundTrip(GraphDriver driver) throws IOException {
        byte[] base = baseLayer();
        driver.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(base));
        String first = containerId();
        String second = containerId();
        try {
            Path root = driver.createRootfs(first, BASE);
            change(root);
            Map<String, String> expected = snapshot(root);

            LayerBlob layer = LayerBlob.write(temp.resolve("layer.tar.gz"), LayerBlob.DEFAULT_LEVEL,
                    tar -> driver.writeChanges(first, tar));
            LayerBlob again = LayerBlob.write(temp.resolve("again.tar.gz"), LayerBlob.DEFAULT_LEVEL,
                    tar -> driver.writeChanges(first, tar));
            assertThat(again.diffId()).as("the same changes give the same layer").isEqualTo(layer.diffId());
            assertThat(again.digest()).isEqualTo(layer.digest());
            assertThat(layer.size()).isEqualTo(Files.size(layer.file()));
            try (InputStream in = Files.newInputStream(layer.file())) {
                assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(layer.digest());
            }

            List<String> names = entryNames(layer);
            assertThat(names).contains("etc/.wh.deleted", ".wh.gone", "opaque/", "opaque/new", "usr/", "usr/local/",
                    "usr/local/bin/tool", "tmp/" + "long-name-".repeat(15));
            // overlayfs records the re-created directory as opaque; a tree comparison deletes what it lost instead
            assertThat(names).contains(driver instanceof OverlayDriver ? "opaque/.wh..wh..opq" : "opaque/.wh.old");
            assertThat(names).doesNotContain("gone/inside", "etc/passwd");
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                String parent = name.substring(0, name.lastIndexOf('/', name.length() - 2) + 1);
                assertThat(parent.isEmpty() || names.indexOf(parent) < i).as(name + " after its parent").isTrue();
            }

            try (InputStream in = Files.newInputStream(layer.file())) {
                driver.createLayer(CHANGED, BASE, layer.diffId(), in);
            }
            Path unpacked = driver.createRootfs(second, CHANGED);
            Map<String, String> actual = snapshot(unpacked);
            assertThat(actual).isEqualTo(expected);
            assertThat(unpacked.resolve("etc/deleted")).doesNotExist();
            assertThat(unpacked.resolve("gone")).doesNotExist();
            assertThat(unpacked.resolve("opaque/old")).doesNotExist();
            assertThat(Libc.lgetxattr(unpacked.resolve("usr/local/bin/tool").toString(), "security.capability"))
                    .isEqualTo(CAPABILITY);
        } finally {
            driver.removeRootfs(first);
            driver.removeRootfs(second);
        }
    }

    @Test
    void noChangesMakeDockersEmptyLayer() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver driver = new OverlayDriver(temp.resolve("engine"));
        byte[] base = baseLayer();
        driver.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(base));
        String id = containerId();
        try {
            driver.createRootfs(id, BASE);
            LayerBlob layer = LayerBlob.write(temp.resolve("empty.tar.gz"), LayerBlob.DEFAULT_LEVEL,
                    tar -> driver.writeChanges(id, tar));
            // 1024 zero bytes: the diff id of every empty layer Docker's classic builder makes (WORKDIR, ...).
            assertThat(layer.diffId().toString())
                    .isEqualTo("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
        } finally {
            driver.removeRootfs(id);
        }
    }

    @Test
    void aViewShowsTheLayersStackedAndReadOnly() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver driver = new OverlayDriver(temp.resolve("engine"));
        byte[] base = baseLayer();
        driver.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(base));
        byte[] top = new TestTar().dir("etc/", 0755).file("etc/.wh.deleted", "", 0644).file("etc/top", "t", 0644)
                .tar();
        driver.createLayer(CHANGED, BASE, TestTar.diffId(top), new ByteArrayInputStream(top));
        Path root;
        try (LayerView view = driver.view(CHANGED)) {
            root = view.root();
            assertThat(root.resolve("etc/passwd")).hasContent("root:x:0:0:root:/root:/bin/sh\n");
            assertThat(root.resolve("etc/top")).hasContent("t");
            assertThat(root.resolve("etc/deleted")).doesNotExist();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> Files.writeString(root.resolve("etc/new"), "x"))).isInstanceOf(IOException.class);
        }
        assertThat(root).doesNotExist();
        try (LayerView single = driver.view(BASE); LayerView empty = driver.view(null)) {
            assertThat(single.root().resolve("etc/deleted")).exists();
            try (Stream<Path> nothing = Files.list(empty.root())) {
                assertThat(nothing).isEmpty();
            }
        }
    }

    private static List<String> entryNames(LayerBlob layer) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(Files.newInputStream(layer.file())))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** Every path below {@code root} (not the root itself) with what a user could observe of it. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        Map<String, String> inodes = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(path -> !path.equals(root)).sorted().toList();
        }
        for (Path path : paths) {
            Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,size,rdev,ino,nlink,"
                    + "lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            String relative = root.relativize(path).toString();
            StringBuilder description = new StringBuilder(Integer.toOctalString((Integer) unix.get("mode")))
                    .append(' ').append(unix.get("uid")).append(':').append(unix.get("gid"))
                    .append(" mtime=").append(((FileTime) unix.get("lastModifiedTime")).toMillis() / 1000);
            if (Files.isSymbolicLink(path)) {
                description.append(" -> ").append(Files.readSymbolicLink(path));
            } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                description.append(" size=").append(unix.get("size")).append(" sha256=").append(sha256(path));
                if ((Integer) unix.get("nlink") > 1) {
                    String first = inodes.putIfAbsent(String.valueOf(unix.get("ino")), relative);
                    description.append(" link=").append(first == null ? relative : first);
                }
            } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                description.append(" rdev=").append(unix.get("rdev"));
            }
            Map<String, String> xattrs = new TreeMap<>();
            for (String name : Libc.llistxattr(path.toString())) {
                if (!name.startsWith("trusted.overlay.")) {
                    xattrs.put(name, HexFormat.of().formatHex(Libc.lgetxattr(path.toString(), name)));
                }
            }
            tree.put(relative, description + (xattrs.isEmpty() ? "" : " xattrs=" + xattrs));
        }
        return tree;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
