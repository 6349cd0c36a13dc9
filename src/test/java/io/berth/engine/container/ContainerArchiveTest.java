package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.docker.ContainerPathStat;
import io.berth.support.SpringJson;

class ContainerArchiveTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    @TempDir
    Path dir;

    @Test
    void archivesAPathUnderItsOwnNameWithItsStat() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("data/sub"));
        Files.writeString(rootfs.resolve("data/sub/file"), "content");
        Files.createSymbolicLink(rootfs.resolve("data/link"), Path.of("/etc/passwd"));
        ContainerArchive archive = new ContainerArchive(rootfs, "web", JSON);

        String stat = new String(Base64.getDecoder().decode(archive.stat("/data/")), StandardCharsets.UTF_8);
        assertThat(stat).contains("\"name\":\"data\"").contains("\"linkTarget\":\"\"");
        assertThat(JSON.readValue(stat, ContainerPathStat.class).mode() & (1L << 31)).isNotZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.write("/data", out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName() + (entry.isSymbolicLink() ? " -> " + entry.getLinkName() : ""));
            }
        }
        assertThat(names).containsExactly("data/", "data/link -> /etc/passwd", "data/sub/", "data/sub/file");
        assertThatThrownBy(() -> archive.stat("/nope")).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Could not find the file /nope in container web"));
    }

    @Test
    void extractionStaysInsideTheRootfsWhateverTheLinks() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(rootfs.resolve("tmp"));
        // a link in the image pointing at the host's directory by absolute path
        Files.createSymbolicLink(rootfs.resolve("tmp/escape"), outside);
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
            TarArchiveEntry link = new TarArchiveEntry("up", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../../..");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "up/" + outside.getFileName() + "/planted", "x");
            file(tar, "escape/planted", "y");
            file(tar, "../../planted-too", "z");
            file(tar, "ok/file", "fine");
        }
        new ContainerArchive(rootfs, "web", JSON).extract("/tmp", new ByteArrayInputStream(tarBytes.toByteArray()), false);

        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
        assertThat(Files.readString(rootfs.resolve("tmp/ok/file"))).isEqualTo("fine");
        assertThat(Files.readString(rootfs.resolve("tmp/planted-too"))).isEqualTo("z");
        assertThat(Files.exists(dir.resolve("planted-too"))).isFalse();
    }

    /**
     * A hard link may only point into the directory the archive goes to; one that climbs out, or to nothing, is
     * refused naming the entry, and no host path is in the message.
     */
    @Test
    void hardLinksOutOfTheExtractionAreRefusedNamingTheEntry() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        ContainerArchive archive = new ContainerArchive(rootfs, "web", JSON);

        assertThatThrownBy(() -> archive.extract("/tmp", tar(hardLink("passwd", "../../../../etc/passwd")), false))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
                    assertThat(e.getMessage()).isEqualTo("invalid hard link passwd -> ../../../../etc/passwd: its "
                            + "target is outside the directory the archive is extracted to");
                });
        assertThatThrownBy(() -> archive.extract("/tmp", tar(hardLink("gone", "no/such/file")), false))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
                    assertThat(e.getMessage()).contains("gone").doesNotContain(dir.toString());
                });
        assertThat(rootfs.resolve("tmp/passwd")).doesNotExist();

        // within the archive's directory a hard link is made
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(linked)) {
            file(tar, "data/original", "same");
            TarArchiveEntry link = new TarArchiveEntry("data/copy", TarArchiveEntry.LF_LINK);
            link.setLinkName("data/original");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        archive.extract("/tmp", new ByteArrayInputStream(linked.toByteArray()), false);
        assertThat(Files.isSameFile(rootfs.resolve("tmp/data/copy"), rootfs.resolve("tmp/data/original"))).isTrue();
    }

    private static TarArchiveEntry hardLink(String name, String target) {
        TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
        link.setLinkName(target);
        return link;
    }

    private static ByteArrayInputStream tar(TarArchiveEntry... entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (TarArchiveEntry entry : entries) {
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
