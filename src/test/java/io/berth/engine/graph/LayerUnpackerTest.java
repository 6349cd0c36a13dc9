package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;

class LayerUnpackerTest {

    /** vfs_cap_data v2 with cap_setuid (bit 7) and cap_net_raw (bit 13): byte 0x80 is not valid UTF-8 on its own. */
    static final byte[] CAPABILITY = HexFormat.of().parseHex("0100000280200000000000000000000000000000");

    @TempDir
    Path temp;

    /** Everything but root-only entries, owned by the user running the test. */
    static TestTar unprivilegedLayer() {
        TestTar tar = new TestTar()
                .dir("etc/", 0750)
                .file("etc/hello", "hello\n", 0640)
                .symlink("etc/link", "hello")
                .symlink("etc/dangling", "/nowhere/at/all/")
                .hardLink("etc/hard", "etc/hello")
                .dir("tmp/", 01777)
                .file("./a/b/implicit-parents", "deep", 0600)
                .file("long/" + "n".repeat(150) + "/" + "x".repeat(120), "long name", 0644);
        TarArchiveEntry fifo = TestTar.entry("run/fifo", TarConstants.LF_FIFO);
        fifo.setMode(0620);
        tar.add(fifo);
        TarArchiveEntry withXattr = TestTar.entry("etc/xattr", TarConstants.LF_NORMAL);
        withXattr.setMode(0644);
        withXattr.addPaxHeader("SCHILY.xattr.user.test", "value");
        return tar.add(withXattr, "x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unpacksFilesDirectoriesLinksAndFifos() throws IOException {
        byte[] tar = unprivilegedLayer().tar();
        Path layer = Files.createDirectory(temp.resolve("layer"));

        long size = LayerUnpacker.unpack(new ByteArrayInputStream(tar), TestTar.diffId(tar), layer,
                LayerUnpacker.Whiteouts.OVERLAY);

        // As dockerd counts a layer: file content once however many hard links, and each symlink's target.
        assertThat(size).isEqualTo("hello\n".length() + "deep".length() + "long name".length() + 1 + "hello".length()
                + "/nowhere/at/all/".length());
        assertThat(layer.resolve("etc/hello")).hasContent("hello\n");
        assertThat(mode(layer.resolve("etc/hello"))).isEqualTo(0640);
        assertThat(mode(layer.resolve("etc"))).isEqualTo(0750);
        assertThat(mode(layer.resolve("tmp"))).isEqualTo(01777);
        assertThat(mode(layer.resolve("a"))).isEqualTo(0755);
        assertThat(Libc.readlink(layer.resolve("etc/link").toString())).isEqualTo("hello");
        assertThat(Libc.readlink(layer.resolve("etc/dangling").toString())).isEqualTo("/nowhere/at/all/");
        assertThat(attribute(layer.resolve("etc/hard"), "ino")).isEqualTo(attribute(layer.resolve("etc/hello"), "ino"));
        assertThat(attribute(layer.resolve("etc/hello"), "nlink")).isEqualTo(2);
        assertThat(((Integer) attribute(layer.resolve("run/fifo"), "mode")) & 0170000).isEqualTo(0010000);
        assertThat(mode(layer.resolve("run/fifo"))).isEqualTo(0620);
        assertThat(layer.resolve("a/b/implicit-parents")).hasContent("deep");
        assertThat(layer.resolve("long/" + "n".repeat(150) + "/" + "x".repeat(120))).hasContent("long name");
        assertThat(Libc.lgetxattr(layer.resolve("etc/xattr").toString(), "user.test"))
                .isEqualTo("value".getBytes(StandardCharsets.UTF_8));
        for (String path : List.of("etc", "etc/hello", "etc/link", "run/fifo", "tmp")) {
            assertThat(Files.getLastModifiedTime(layer.resolve(path), LinkOption.NOFOLLOW_LINKS))
                    .as(path).isEqualTo(TestTar.MTIME);
        }
    }

    @Test
    void setsOwnersSetuidDevicesAndCapabilities() throws IOException {
        KernelFeatures.requireRoot();
        TestTar tar = new TestTar()
                .fileWithRawXattr("ping", "ping".getBytes(StandardCharsets.UTF_8), 04755, 0, "security.capability",
                        CAPABILITY);
        TarArchiveEntry owned = TestTar.entry("home/user/file", TarConstants.LF_NORMAL);
        owned.setMode(02750);
        owned.setUserId(1000);
        owned.setGroupId(1000);
        tar.add(owned, "mine".getBytes(StandardCharsets.UTF_8));
        TarArchiveEntry device = TestTar.entry("dev/null", TarConstants.LF_CHR);
        device.setMode(0666);
        device.setDevMajor(1);
        device.setDevMinor(3);
        tar.add(device);
        TarArchiveEntry block = TestTar.entry("dev/loop7", TarConstants.LF_BLK);
        block.setMode(0660);
        block.setDevMajor(7);
        block.setDevMinor(300);
        tar.add(block);
        byte[] bytes = tar.tar();
        Path layer = Files.createDirectory(temp.resolve("layer"));

        LayerUnpacker.unpack(new ByteArrayInputStream(bytes), TestTar.diffId(bytes), layer,
                LayerUnpacker.Whiteouts.APPLY);

        assertThat(mode(layer.resolve("ping"))).isEqualTo(04755);
        assertThat(Libc.lgetxattr(layer.resolve("ping").toString(), "security.capability")).isEqualTo(CAPABILITY);
        Path file = layer.resolve("home/user/file");
        assertThat(attribute(file, "uid")).isEqualTo(1000);
        assertThat(attribute(file, "gid")).isEqualTo(1000);
        assertThat(mode(file)).isEqualTo(02750);
        assertThat(((Integer) attribute(layer.resolve("dev/null"), "mode")) & 0170000).isEqualTo(0020000);
        assertThat(attribute(layer.resolve("dev/null"), "rdev")).isEqualTo(Libc.makedev(1, 3));
        assertThat(((Integer) attribute(layer.resolve("dev/loop7"), "mode")) & 0170000).isEqualTo(0060000);
        assertThat(attribute(layer.resolve("dev/loop7"), "rdev")).isEqualTo(Libc.makedev(7, 300));
        assertThat(Files.getLastModifiedTime(layer.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(TestTar.MTIME);
    }

    @Test
    void gzipZstdAndPlainGiveTheSameTree() throws IOException {
        byte[] tar = unprivilegedLayer().tar();
        Digest diffId = TestTar.diffId(tar);
        Map<String, byte[]> archives = Map.of("plain", tar, "gzip", TestTar.gzip(tar), "zstd", TestTar.zstd(tar));
        List<String> plain = null;
        for (String format : List.of("plain", "gzip", "zstd")) {
            Path layer = Files.createDirectory(temp.resolve(format));
            LayerUnpacker.unpack(new ByteArrayInputStream(archives.get(format)), diffId, layer,
                    LayerUnpacker.Whiteouts.OVERLAY);
            List<String> tree = describe(layer, false); // implicit parents get the time of unpacking
            if (plain == null) {
                plain = tree;
                assertThat(tree).hasSizeGreaterThan(10);
            } else {
                assertThat(tree).as(format).isEqualTo(plain);
            }
        }
    }

    @Test
    void refusesADiffIdMismatchAndLeavesNothing() throws IOException {
        byte[] tar = unprivilegedLayer().tar();
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        Path layer = Files.createDirectory(temp.resolve("layer"));

        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(TestTar.gzip(tar)), wrong, layer,
                LayerUnpacker.Whiteouts.OVERLAY))
                .isInstanceOf(InvalidLayerException.class)
                .hasMessageContaining(TestTar.diffId(tar).toString())
                .hasMessageContaining(wrong.toString());
        assertThat(layer).doesNotExist();
    }

    @Test
    void aTruncatedArchiveFailsAndLeavesNothing() throws IOException {
        byte[] tar = unprivilegedLayer().tar();
        byte[] gzip = TestTar.gzip(tar);
        byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length / 2);
        Path layer = Files.createDirectory(temp.resolve("layer"));

        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(truncated), TestTar.diffId(tar), layer,
                LayerUnpacker.Whiteouts.OVERLAY)).isInstanceOf(IOException.class);
        assertThat(layer).doesNotExist();
    }

    @Test
    void digestsBytesAfterTheEndOfArchiveMarker() throws IOException {
        byte[] tar = unprivilegedLayer().tar();
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 10240); // tar tools pad to a 10 KiB block
        Path layer = Files.createDirectory(temp.resolve("layer"));

        LayerUnpacker.unpack(new ByteArrayInputStream(padded), TestTar.diffId(padded), layer,
                LayerUnpacker.Whiteouts.OVERLAY);

        assertThat(layer.resolve("etc/hello")).exists();
    }

    @Test
    void appliesWhiteoutsAndOpaqueDirectoriesOntoTheParentTree() throws IOException {
        Path layer = Files.createDirectory(temp.resolve("layer"));
        Files.createDirectories(layer.resolve("keep"));
        Files.writeString(layer.resolve("keep/gone"), "lower");
        Files.writeString(layer.resolve("keep/stays"), "lower");
        Files.createDirectories(layer.resolve("opaque/lower-dir/deeper"));
        Files.writeString(layer.resolve("opaque/lower-file"), "lower");
        Files.createDirectories(layer.resolve("opaque/shared"));
        Files.writeString(layer.resolve("opaque/shared/lower-only"), "lower");
        Files.createSymbolicLink(layer.resolve("opaque/escape"), Path.of("/"));
        byte[] tar = new TestTar()
                .file("keep/.wh.gone", "", 0644)
                .dir("opaque/", 0755)
                .file("opaque/shared/upper", "upper", 0644)
                .file("opaque/.wh..wh..opq", "", 0644)
                .file("opaque/new", "upper", 0644)
                .tar();

        LayerUnpacker.unpack(new ByteArrayInputStream(tar), TestTar.diffId(tar), layer, LayerUnpacker.Whiteouts.APPLY);

        assertThat(layer.resolve("keep/gone")).doesNotExist();
        assertThat(layer.resolve("keep/stays")).hasContent("lower");
        assertThat(names(layer.resolve("opaque"))).containsExactlyInAnyOrder("shared", "new");
        assertThat(names(layer.resolve("opaque/shared"))).containsExactly("upper");
        assertThat(Path.of("/").toFile().list()).isNotEmpty(); // the symlink was removed, not followed
    }

    @Test
    void keepsWhiteoutsInOverlayForm() throws IOException {
        KernelFeatures.requireRoot();
        byte[] tar = new TestTar().dir("dir/", 0755).file("dir/.wh..wh..opq", "", 0644)
                .file(".wh.gone", "", 0644).tar();
        Path layer = Files.createDirectory(temp.resolve("layer"));

        LayerUnpacker.unpack(new ByteArrayInputStream(tar), TestTar.diffId(tar), layer,
                LayerUnpacker.Whiteouts.OVERLAY);

        assertThat(((Integer) attribute(layer.resolve("gone"), "mode")) & 0170000).isEqualTo(0020000);
        assertThat(attribute(layer.resolve("gone"), "rdev")).isEqualTo(0L);
        assertThat(Libc.lgetxattr(layer.resolve("dir").toString(), "trusted.overlay.opaque")).containsExactly('y');
        assertThat(names(layer.resolve("dir"))).isEmpty();
    }

    static int mode(Path path) throws IOException {
        return ((Integer) attribute(path, "mode")) & 07777;
    }

    static Object attribute(Path path, String name) throws IOException {
        return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    static List<String> names(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** One line per path: type, mode, owner, size, mtime, link target or content digest, xattrs. */
    static List<String> describe(Path root) throws IOException {
        return describe(root, true);
    }

    static List<String> describe(Path root, boolean directoryTimes) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted().toList()) {
                Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
                StringBuilder line = new StringBuilder(root.relativize(path).toString())
                        .append(' ').append(Integer.toOctalString((Integer) unix.get("mode")))
                        .append(' ').append(unix.get("uid")).append(':').append(unix.get("gid"))
                        .append(' ').append(unix.get("rdev"))
                        .append(' ').append(path.equals(root) || (!directoryTimes && Files.isDirectory(path,
                                LinkOption.NOFOLLOW_LINKS)) ? "" : (FileTime) unix.get("lastModifiedTime"));
                if (Files.isSymbolicLink(path)) {
                    line.append(" -> ").append(Libc.readlink(path.toString()));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    line.append(' ').append(Digest.sha256(Files.readAllBytes(path))).append(' ')
                            .append(unix.get("nlink"));
                }
                for (String xattr : Libc.llistxattr(path.toString())) {
                    line.append(' ').append(xattr).append('=')
                            .append(HexFormat.of().formatHex(Libc.lgetxattr(path.toString(), xattr)));
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
