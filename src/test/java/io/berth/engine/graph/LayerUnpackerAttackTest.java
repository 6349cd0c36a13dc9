package io.berth.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every archive that tries to reach outside its layer is refused, naming the entry, with nothing left behind: not
 * the half-unpacked layer, not the file it aimed at. Entries are owned by the test's user, so this runs unprivileged.
 */
class LayerUnpackerAttackTest {

    @TempDir
    Path temp;
    /** A directory outside the layer that attacks aim at; it lives in /tmp so that absolute symlinks can name it. */
    Path outside;
    Path layer;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectory(Path.of("/tmp", "berth-outside-" + UUID.randomUUID()));
        Files.writeString(outside.resolve("victim"), "victim");
        layer = Files.createDirectories(temp.resolve("parent/layer"));
    }

    @AfterEach
    void tearDown() throws IOException {
        FileTrees.deleteTree(outside);
    }

    record Attack(String description, String entry, Function<Path, TestTar> tar) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("dot-dot escape", "../escape", o -> new TestTar().file("../escape", "x", 0644)),
                attack("absolute path", "/abs/path", o -> new TestTar().file("/abs/path", "x", 0644)),
                attack("dot-dot after a component", "a/../../x", o -> new TestTar().file("a/../../x", "x", 0644)),
                attack("file through an absolute symlink", "evil/pwned",
                        o -> new TestTar().symlink("evil", o.toString()).file("evil/pwned", "x", 0644)),
                attack("directory through an absolute symlink", "evil/sub/",
                        o -> new TestTar().symlink("evil", o.toString()).dir("evil/sub/", 0755)),
                attack("file through a symlink to ..", "evil/x",
                        o -> new TestTar().symlink("evil", "..").file("evil/x", "x", 0644)),
                attack("symlink through a symlink", "evil/link",
                        o -> new TestTar().symlink("evil", o.toString()).symlink("evil/link", "/")),
                attack("hard link to /etc/passwd", "h", o -> new TestTar().hardLink("h", "/etc/passwd")),
                attack("hard link to ../outside", "h", o -> new TestTar().hardLink("h", "../victim")),
                attack("hard link through a symlink", "h",
                        o -> new TestTar().symlink("evil", o.toString()).hardLink("h", "evil/victim")),
                attack("whiteout through a symlink", "evil/.wh.victim",
                        o -> new TestTar().symlink("evil", o.toString()).file("evil/.wh.victim", "", 0644)),
                attack("whiteout of ../x", "../.wh.victim", o -> new TestTar().file("../.wh.victim", "", 0644)),
                attack("whiteout of ..", "sub/.wh...", o -> new TestTar().dir("sub/", 0755).file("sub/.wh...", "", 0644)));
    }

    private static Arguments attack(String description, String entry, Function<Path, TestTar> tar) {
        return Arguments.of(new Attack(description, entry, tar));
    }

    @ParameterizedTest(name = "{0} (APPLY)")
    @MethodSource("attacks")
    void refusedWhenApplying(Attack attack) throws IOException {
        assertRefused(attack, LayerUnpacker.Whiteouts.APPLY);
    }

    @ParameterizedTest(name = "{0} (OVERLAY)")
    @MethodSource("attacks")
    void refusedForOverlay(Attack attack) throws IOException {
        assertRefused(attack, LayerUnpacker.Whiteouts.OVERLAY);
    }

    private void assertRefused(Attack attack, LayerUnpacker.Whiteouts mode) throws IOException {
        byte[] tar = attack.tar().apply(outside).tar();
        long passwdLinks = (Integer) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");

        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), TestTar.diffId(tar), layer, mode))
                .isInstanceOf(InvalidLayerException.class)
                .hasMessageContaining("\"" + attack.entry() + "\"");

        assertThat(layer).doesNotExist();
        try (Stream<Path> left = Files.list(temp.resolve("parent"))) {
            assertThat(left).isEmpty();
        }
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).containsExactly(outside.resolve("victim"));
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("victim");
        assertThat(Path.of("/abs")).doesNotExist();
        assertThat(Files.exists(temp.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat((Integer) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(passwdLinks);
    }
}
