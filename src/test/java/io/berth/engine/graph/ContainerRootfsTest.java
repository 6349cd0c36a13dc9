package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers' root file systems over an image of two layers, with both drivers. */
class ContainerRootfsTest {

    static final String BASE = GraphDriversTest.chainId("rootfs-base");
    static final String TOP = GraphDriversTest.chainId("rootfs-top");

    @TempDir
    Path temp;

    byte[] base;
    byte[] top;
    String id;

    @BeforeEach
    void image() {
        KernelFeatures.requireRoot();
        base = new TestTar()
                .dir("etc/", 0755)
                .file("etc/image-file", "from the image", 0644)
                .file("etc/deleted-above", "base", 0644)
                .tar();
        top = new TestTar()
                .dir("etc/", 0755)
                .file("etc/.wh.deleted-above", "", 0644)
                .file("etc/top-file", "top", 0644)
                .tar();
        id = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    void unpack(GraphDriver driver) throws IOException {
        driver.createLayer(BASE, null, TestTar.diffId(base), new ByteArrayInputStream(base));
        driver.createLayer(TOP, BASE, TestTar.diffId(top), new ByteArrayInputStream(top));
    }

    @Test
    void overlayMountsTheImageBelowTheContainersUpperDirectory() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver overlay = new OverlayDriver(temp.resolve("engine"));
        unpack(overlay);
        try {
            Path rootfs = overlay.createRootfs(id, TOP);

            assertThat(rootfs.toString()).hasSizeLessThan(temp.toString().length() + 40);
            assertThat(rootfs.resolve("etc/image-file")).hasContent("from the image");
            assertThat(rootfs.resolve("etc/top-file")).hasContent("top");
            assertThat(rootfs.resolve("etc/deleted-above")).doesNotExist();
            Files.writeString(rootfs.resolve("etc/written"), "by the container");
            Files.writeString(rootfs.resolve("etc/image-file"), "changed");

            Path diff = overlay.rootfsDiff(id);
            assertThat(diff.resolve("etc/written")).hasContent("by the container");
            assertThat(diff.resolve("etc/image-file")).hasContent("changed");
            assertThat(overlay.layerPath(BASE).resolve("etc/image-file")).hasContent("from the image");
            assertThat(overlay.layerPath(TOP).resolve("etc/written")).doesNotExist();

            assertThat(overlay.createRootfs(id, TOP)).isEqualTo(rootfs);
            assertThat(mountsAt(rootfs)).isEqualTo(1); // the second call mounted nothing more
            assertThatThrownBy(() -> overlay.createRootfs(id, BASE)).hasMessageContaining("not " + BASE);

            overlay.unmountRootfs(id);
            assertThat(mountsAt(rootfs)).isZero();
            assertThat(LayerUnpackerTest.names(rootfs)).isEmpty();
            overlay.unmountRootfs(id); // unmounting twice is fine

            assertThat(overlay.createRootfs(id, TOP)).isEqualTo(rootfs); // mounted again, the changes kept
            assertThat(rootfs.resolve("etc/written")).hasContent("by the container");

            overlay.removeRootfs(id);
            assertThat(mountsAt(rootfs)).isZero();
            assertThat(LayerUnpackerTest.names(overlay.home().resolve("c"))).isEmpty();
            assertThat(LayerUnpackerTest.names(overlay.home().resolve("tmp"))).isEmpty();
            assertThat(overlay.hasLayer(TOP)).isTrue();
            assertThatThrownBy(() -> overlay.rootfsDiff(id)).hasMessageContaining("has no rootfs");
            overlay.removeRootfs(id); // removing twice is fine
        } finally {
            overlay.removeRootfs(id);
        }
    }

    @Test
    void overlayRootfsOfAnImageWithoutLayers() throws IOException {
        KernelFeatures.requireOverlay();
        OverlayDriver overlay = new OverlayDriver(temp.resolve("engine"));
        try {
            Path rootfs = overlay.createRootfs(id, null);
            assertThat(LayerUnpackerTest.names(rootfs)).isEmpty();
            Files.writeString(rootfs.resolve("new"), "new");
            assertThat(overlay.rootfsDiff(id).resolve("new")).hasContent("new");
        } finally {
            overlay.removeRootfs(id);
        }
        assertThat(LayerUnpackerTest.names(overlay.home().resolve("c"))).isEmpty();
    }

    @Test
    void vfsCopiesTheImageTree() throws IOException {
        VfsDriver vfs = new VfsDriver(temp.resolve("engine"));
        unpack(vfs);
        try {
            Path rootfs = vfs.createRootfs(id, TOP);

            assertThat(rootfs.resolve("etc/image-file")).hasContent("from the image");
            assertThat(rootfs.resolve("etc/top-file")).hasContent("top");
            assertThat(rootfs.resolve("etc/deleted-above")).doesNotExist();
            Files.writeString(rootfs.resolve("etc/written"), "by the container");
            Files.writeString(rootfs.resolve("etc/image-file"), "changed");

            assertThat(vfs.rootfsDiff(id).resolve("etc/written")).hasContent("by the container");
            assertThat(vfs.layerPath(TOP).resolve("etc/image-file")).hasContent("from the image");
            assertThat(vfs.layerPath(TOP).resolve("etc/written")).doesNotExist();
            assertThat(vfs.createRootfs(id, TOP)).isEqualTo(rootfs);
            assertThat(rootfs.resolve("etc/written")).exists(); // not copied afresh
            vfs.unmountRootfs(id);
            assertThat(rootfs.resolve("etc/written")).exists();

            vfs.removeRootfs(id);
            assertThat(LayerUnpackerTest.names(vfs.home().resolve("c"))).isEmpty();
            assertThat(LayerUnpackerTest.names(vfs.home().resolve("tmp"))).isEmpty();
            assertThat(vfs.hasLayer(TOP)).isTrue();
        } finally {
            vfs.removeRootfs(id);
        }
    }

    @Test
    void vfsRootfsOfAnImageWithoutLayersAndRefusals() throws IOException {
        VfsDriver vfs = new VfsDriver(temp.resolve("engine"));
        try {
            assertThat(LayerUnpackerTest.names(vfs.createRootfs(id, null))).isEmpty();
            assertThatThrownBy(() -> vfs.createRootfs("other-container-id", TOP))
                    .hasMessageContaining("is not in the vfs store");
            assertThatThrownBy(() -> vfs.createRootfs("../../../etc/x", null))
                    .isInstanceOf(IllegalArgumentException.class);
            String sharedPrefix = id.substring(0, 12) + "different";
            assertThatThrownBy(() -> vfs.createRootfs(sharedPrefix, null)).hasMessageContaining("holds container " + id);
        } finally {
            vfs.removeRootfs(id);
        }
    }

    /** How many mounts /proc/self/mountinfo lists at {@code path}. */
    static long mountsAt(Path path) throws IOException {
        String target = path.toAbsolutePath().normalize().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].equals(target))
                .count();
    }
}
