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
