package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphDriverConfigurationTest {

    @TempDir
    Path temp;

    @Test
    void autoChoosesOverlayWhereATestMountWorksAndCleansUp() throws IOException {
        KernelFeatures.requireOverlay();

        assertThat(GraphDriverConfiguration.choose("auto", temp).name()).isEqualTo("overlay");
        assertThat(GraphDriverConfiguration.choose(null, temp).name()).isEqualTo("overlay");
        assertThat(GraphDriverConfiguration.choose(" Overlay ", temp)).isInstanceOf(OverlayDriver.class);

        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("overlay"); // no probe debris
        }
    }

    @Test
    void vfsNeedsNoKernelSupport() throws IOException {
        GraphDriver vfs = GraphDriverConfiguration.choose("vfs", temp);

        assertThat(vfs).isInstanceOf(VfsDriver.class);
        assertThat(temp.resolve("vfs/l")).isDirectory();
    }

    @Test
    void refusesAnUnknownDriver() {
        assertThatThrownBy(() -> GraphDriverConfiguration.choose("btrfs", temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"btrfs\"");
    }
}
