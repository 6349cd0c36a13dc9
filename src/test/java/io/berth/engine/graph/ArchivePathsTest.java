package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivePathsTest {

    @TempDir
    Path root;

    @BeforeEach
    void archive() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/layer.tar"), "layer");
        Files.createDirectories(root.resolve("c"));
        Files.createSymbolicLink(root.resolve("c/layer.tar"), Path.of("../a/b/layer.tar"));
        Files.createSymbolicLink(root.resolve("dir"), Path.of("a/b"));
        Files.createSymbolicLink(root.resolve("absolute"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("a/climbing"), Path.of("../../etc/passwd"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    }

    @Test
    void linksInsideTheArchiveAreFollowed() throws IOException {
        assertThat(ArchivePaths.resolve(root, "c/layer.tar")).isEqualTo(root.resolve("a/b/layer.tar"));
        assertThat(ArchivePaths.resolve(root, "./dir/layer.tar")).isEqualTo(root.resolve("a/b/layer.tar"));
        assertThat(ArchivePaths.resolve(root, "a/b/../b/layer.tar")).isEqualTo(root.resolve("a/b/layer.tar"));
        assertThat(ArchivePaths.resolve(root, "/a//b/")).isEqualTo(root.resolve("a/b"));
        assertThat(ArchivePaths.resolve(root, "a/none")).isEqualTo(root.resolve("a/none"));
    }

    @Test
    void pathsThatLeaveTheArchiveAreRefused() {
        assertThatThrownBy(() -> ArchivePaths.resolve(root, "../x")).isInstanceOf(ArchivePaths.OutsideException.class)
                .hasMessage("path ../x leads outside the archive");
        assertThatThrownBy(() -> ArchivePaths.resolve(root, "a/../../x"))
                .isInstanceOf(ArchivePaths.OutsideException.class);
        assertThatThrownBy(() -> ArchivePaths.resolve(root, "absolute"))
                .isInstanceOf(ArchivePaths.OutsideException.class)
                .hasMessage("path absolute leads outside the archive (absolute is a symlink to /etc/passwd)");
        assertThatThrownBy(() -> ArchivePaths.resolve(root, "a/climbing"))
                .isInstanceOf(ArchivePaths.OutsideException.class)
                .hasMessage("path a/climbing leads outside the archive (a/climbing is a symlink to ../../etc/passwd)");
    }

    @Test
    void inAContainersScopeAbsoluteLinksAndClimbsStayInTheRoot() throws IOException {
        assertThat(ArchivePaths.resolveInScope(root, "/absolute")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(ArchivePaths.resolveInScope(root, "a/climbing")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(ArchivePaths.resolveInScope(root, "../../c/layer.tar")).isEqualTo(root.resolve("a/b/layer.tar"));
    }

    @Test
    void aSymlinkLoopEnds() {
        assertThatThrownBy(() -> ArchivePaths.resolve(root, "loop/x")).isInstanceOf(IOException.class)
                .hasMessage("too many symlinks resolving loop/x");
    }
}
