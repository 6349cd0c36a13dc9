package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;

/** Both drivers against the same two layers: a base, and an upper that deletes a file and makes a dir opaque. */
class GraphDriversTest {

    static final String BASE = chainId("base");
    static final String UPPER = chainId("upper");

    @TempDir
    Path temp;

    byte[] base;
    byte[] upper;

    @BeforeEach
    void layers() {
        KernelFeatures.requireRoot();
        TestTar baseTar = new TestTar()
                .dir("etc/", 0755)
                .file("etc/deleted", "lower", 0644)
                .file("etc/kept", "lower", 0644)
                .hardLink("etc/kept-too", "etc/kept")
                .symlink("etc/link", "kept")
                .dir("opaque/", 0755)
                .file("opaque/lower", "lower", 0644)
                .dir("opaque/sub/", 0755)
                .file("opaque/sub/lower", "lower", 0644);
        TarArchiveEntry owned = TestTar.entry("etc/owned", TarConstants.LF_NORMAL);
        owned.setUserId(1000);
        owned.setGroupId(1000);
        owned.setMode(04750);
        baseTar.add(owned, "owned".getBytes(StandardCharsets.UTF_8));
        TarArchiveEntry device = TestTar.entry("dev/null", TarConstants.LF_CHR);
        device.setMode(0666);
        device.setDevMajor(1);
        device.setDevMinor(3);
        baseTar.add(device);
        base = baseTar.tar();
        upper = new TestTar()
                .file("etc/.wh.deleted", "", 0644)
                .dir("opaque/", 0755)
                .file("opaque/.wh..wh..opq", "", 0644)
                .file("opaque/upper", "upper", 0644)
                .tar();
    }

    @Test
    void vfsAppliesTheUpperLayerOnAFullCopy() throws IOException {
        VfsDriver vfs = new VfsDriver(temp.resolve("engine"));
        assertThat(vfs.name()).isEqualTo("vfs");

        vfs.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(TestTar.gzip(base)));
        long size = vfs.createLayer(UPPER, BASE, TestTar.diffId(upper), new ByteArrayInputStream(upper));

        assertThat(size).isEqualTo("upper".length());
        assertThat(vfs.hasLayer(UPPER)).isTrue();
        assertThat(vfs.chain(UPPER)).containsExactly(UPPER, BASE);
        Path tree = vfs.layerPath(UPPER);
        assertThat(tree.resolve("etc/deleted")).doesNotExist();
        assertThat(tree.resolve("etc/kept")).hasContent("lower");
        assertThat(LayerUnpackerTest.names(tree.resolve("opaque"))).containsExactly("upper");
        List<String> lower = LayerUnpackerTest.describe(vfs.layerPath(BASE));
        List<String> copied = LayerUnpackerTest.describe(tree);
        assertThat(copied).containsAll(lower.stream()
                .filter(line -> !line.startsWith("etc/deleted") && !line.startsWith("opaque") && !line.startsWith("etc ")
                        && !line.startsWith(" "))
                .toList());
        assertThat(LayerUnpackerTest.attribute(tree.resolve("etc/kept"), "ino"))
                .isEqualTo(LayerUnpackerTest.attribute(tree.resolve("etc/kept-too"), "ino"));
        assertThat(vfs.layerPath(BASE).resolve("etc/deleted")).exists(); // the parent is untouched

        vfs.removeLayer(UPPER);
        assertThat(vfs.hasLayer(UPPER)).isFalse();
        assertThat(tree).doesNotExist();
        assertThat(vfs.hasLayer(BASE)).isTrue();
    }

    @Test
    void overlayMountHidesWhiteoutsAndOpaqueContents() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver overlay = new OverlayDriver(temp.resolve("engine"));
        overlay.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(TestTar.zstd(base)));
        overlay.createLayer(UPPER, BASE, TestTar.diffId(upper), new ByteArrayInputStream(upper));
        assertThat(overlay.lowerDirectories(UPPER)).containsExactly(overlay.layerPath(UPPER), overlay.layerPath(BASE));
        assertThat(overlay.layerPath(UPPER).toString()).hasSizeLessThan(temp.toString().length() + 40);

        Path container = Files.createDirectory(temp.resolve("c"));
        Path upperDir = Files.createDirectory(container.resolve("upper"));
        Path work = Files.createDirectory(container.resolve("work"));
        Path merged = Files.createDirectory(container.resolve("merged"));
        OverlayMounts.mount(overlay.lowerDirectories(UPPER), upperDir, work, merged);
        try {
            assertThat(merged.resolve("etc/deleted")).doesNotExist();
            assertThat(merged.resolve("etc/kept")).hasContent("lower");
            assertThat(LayerUnpackerTest.names(merged.resolve("opaque"))).containsExactly("upper");
            assertThat(LayerUnpackerTest.mode(merged.resolve("etc/owned"))).isEqualTo(04750);
            Files.writeString(merged.resolve("etc/kept"), "changed");
            assertThat(overlay.layerPath(BASE).resolve("etc/kept")).hasContent("lower"); // copied up, not changed
        } finally {
            OverlayMounts.unmount(merged);
        }
        assertThat(LayerUnpackerTest.names(merged)).isEmpty();
    }

    @Test
    void aRefusedLayerLeavesNothingBehind() throws IOException {
        for (LayerDirectories driver : List.of(new VfsDriver(temp.resolve("engine")),
                new OverlayDriver(temp.resolve("engine")))) {
            Digest wrong = Digest.sha256("wrong".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> driver.createLayer(BASE, null, wrong, new ByteArrayInputStream(base)))
                    .isInstanceOf(InvalidLayerException.class);
            assertThatThrownBy(() -> driver.createLayer(UPPER, BASE, TestTar.diffId(upper),
                    new ByteArrayInputStream(upper)))
                    .hasMessageContaining("parent " + BASE);

            assertThat(driver.hasLayer(BASE)).isFalse();
            try (Stream<Path> left = Stream.concat(Files.list(driver.home().resolve("l")),
                    Files.list(driver.home().resolve("tmp")))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void createsLayersConcurrently() throws Exception {
        VfsDriver vfs = new VfsDriver(temp.resolve("engine"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String chainId = chainId("layer-" + (i % 8)); // each chain id twice, racing itself too
                byte[] tar = new TestTar().file("file-" + (i % 8), "content " + (i % 8), 0644).tar();
                results.add(pool.submit(() -> vfs.createLayer(chainId, null, TestTar.diffId(tar),
                        new ByteArrayInputStream(tar))));
            }
            for (Future<Long> result : results) {
                assertThat(result.get()).isEqualTo("content 0".length());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(vfs.layerPath(chainId("layer-" + i)).resolve("file-" + i)).hasContent("content " + i);
        }
        try (Stream<Path> left = Files.list(vfs.home().resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    static String chainId(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
