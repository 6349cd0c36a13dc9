package io.berth.engine.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.error.BerthException;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.graph.LayerUnpacker;
import io.berth.support.EngineRequirement;

/** COPY and ADD layers written straight from the build context onto an image's file system. */
class CopyLayerTest {

    @TempDir
    Path temp;

    Path image;
    BuildContext context;

    @BeforeEach
    void imageAndContext() throws IOException {
        EngineRequirement.assumeEngine(); // root: the context keeps owners, the layer is unpacked with them
        image = Files.createDirectory(temp.resolve("image"));
        Files.createDirectories(image.resolve("etc"));
        Files.writeString(image.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:\n"
                + "bin:x:2:2:bin:/bin:\n");
        Files.writeString(image.resolve("etc/group"), "root:x:0:\napp:x:1000:\nstaff:x:50:app\nbin:x:2:\n");
        Path tmp = Files.createDirectory(image.resolve("tmp"));
        try {
            // the JDK cannot set the sticky bit
            assertThat(new ProcessBuilder("chmod", "1777", tmp.toString()).start().waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Files.createDirectories(image.resolve("usr/lib"));
        Files.createSymbolicLink(image.resolve("lib"), Path.of("usr/lib"));

        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(archive)) {
            gzip.write(new ContextTar().dir("pkg").file("pkg/README", "from the archive").tar());
        }
        byte[] body = new ContextTar().file("Dockerfile", "FROM x\n")
                .file("app.jar", "jar", 0640).file("a.txt", "a").file("b.txt", "b")
                .dir("conf").file("conf/app.yml", "yml").dir("conf/d").file("conf/d/x", "x")
                .symlink("conf/link", "app.yml").symlink("inside", "conf").symlink("escape", "/etc/passwd")
                .symlink("up", "../outside").tar();
        ByteArrayOutputStream withArchive = new ByteArrayOutputStream();
        withArchive.write(body, 0, body.length - 1024); // drop the end marker to append one more entry
        TarArchiveEntry entry = new TarArchiveEntry("pkg.tar.gz");
        entry.setSize(archive.size());
        entry.setMode(0100644);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(header)) {
            tar.putArchiveEntry(entry);
            tar.write(archive.toByteArray());
            tar.closeArchiveEntry();
        }
        withArchive.write(header.toByteArray());
        Path workArea = Files.createDirectory(temp.resolve("work"));
        context = BuildContext.read(new ByteArrayInputStream(withArchive.toByteArray()), "", workArea);
    }

    private LayerBlob layer(List<String> sources, String dest, String workdir, boolean add, String chown,
            String chmod) throws IOException {
        List<CopySources.Source> resolved = CopySources.resolve(context.root(), sources, CopySources.Origin.CONTEXT,
                add ? "ADD" : "COPY");
        Path scratch = Files.createTempDirectory(temp, "scratch-");
        CopyLayer.Copy copy = new CopyLayer.Copy(resolved, CopyLayer.destination(dest, workdir), add,
                chown == null ? null : Chown.resolve(chown, image), chmod == null ? null : Chown.parseChmod(chmod),
                scratch);
        return LayerBlob.write(Files.createTempFile(temp, "layer-", ".tar.gz"), LayerBlob.DEFAULT_LEVEL,
                tar -> CopyLayer.write(tar, image, copy));
    }

    /** name -> "mode uid:gid" of each entry, in order. */
    private static Map<String, String> entries(LayerBlob layer) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                Files.newInputStream(layer.file())))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.put(entry.getName(), Integer.toOctalString(entry.getMode() & 07777) + " "
                        + entry.getLongUserId() + ":" + entry.getLongGroupId()
                        + (entry.isSymbolicLink() ? " -> " + entry.getLinkName() : ""));
            }
        }
        return entries;
    }

    @Test
    void fileIntoADirectoryOwnedByRootWithTheImagesParentsKept() throws IOException {
        Map<String, String> entries = entries(layer(List.of("app.jar"), "/tmp/deploy/", "", false, null, null));
        assertThat(entries).containsExactly(
                Map.entry("tmp/", "1777 0:0"),
                Map.entry("tmp/deploy/", "755 0:0"),
                Map.entry("tmp/deploy/app.jar", "640 0:0"));
    }

    @Test
    void relativeDestinationsFollowTheWorkdirAndAFileMayBeRenamed() throws IOException {
        assertThat(entries(layer(List.of("a.txt"), "renamed.txt", "/srv/app", false, null, null)).keySet())
                .containsExactly("srv/", "srv/app/", "srv/app/renamed.txt");
        // An existing directory takes the file without a trailing slash.
        assertThat(entries(layer(List.of("a.txt"), "/tmp", "", false, null, null)).keySet())
                .containsExactly("tmp/", "tmp/a.txt");
    }

    @Test
    void directoriesAreCopiedByContentWithSymlinksAsSymlinks() throws IOException {
        Map<String, String> entries = entries(layer(List.of("conf"), "/etc/app/", "", false, "app:staff", "0750"));
        assertThat(entries).containsExactly(
                Map.entry("etc/", "755 0:0"),
                Map.entry("etc/app/", "755 1000:50"),
                Map.entry("etc/app/app.yml", "750 1000:50"),
                Map.entry("etc/app/d/", "750 1000:50"),
                Map.entry("etc/app/d/x", "750 1000:50"),
                Map.entry("etc/app/link", "777 1000:50 -> app.yml"));
        // A symlink in the context to a directory in it is followed as a source.
        assertThat(entries(layer(List.of("inside/app.yml"), "/", "", false, null, null)).keySet())
                .containsExactly("app.yml");
    }

    @Test
    void chownNamesTheGroupAfterTheUserAndNumbersAreTakenAsTheyAre() throws IOException {
        assertThat(entries(layer(List.of("a.txt"), "/x", "", false, "bin", null))).containsEntry("x", "644 2:2");
        assertThat(entries(layer(List.of("a.txt"), "/x", "", false, "10", null))).containsEntry("x", "644 10:10");
        assertThat(entries(layer(List.of("a.txt"), "/x", "", false, "app:7", null))).containsEntry("x", "644 1000:7");
        assertThatThrownBy(() -> layer(List.of("a.txt"), "/x", "", false, "nobody", null))
                .isInstanceOf(BerthException.class).hasMessage("can't find uid for user nobody: no such user: nobody");
        assertThatThrownBy(() -> Chown.parseChmod("u+x")).hasMessageContaining("invalid chmod parameter: 'u+x'");
    }

    @Test
    void wildcardsFollowGoMatchAndSeveralSourcesNeedADirectory() throws IOException {
        assertThat(entries(layer(List.of("*.txt"), "/texts/", "", false, null, null)).keySet())
                .containsExactly("texts/", "texts/a.txt", "texts/b.txt");
        assertThatThrownBy(() -> layer(List.of("*.txt"), "/texts", "", false, null, null))
                .hasMessage("When using COPY with more than one source file, the destination must be a directory and "
                        + "end with a /");
        assertThatThrownBy(() -> layer(List.of("*.none"), "/x/", "", false, null, null))
                .hasMessage("no source files were specified");
        assertThatThrownBy(() -> layer(List.of("missing.txt"), "/x/", "", false, null, null))
                .hasMessage("file not found in build context or excluded by .dockerignore: stat missing.txt: file does "
                        + "not exist");
    }

    @Test
    void pathsOutOfTheContextAreRefused() {
        assertThatThrownBy(() -> layer(List.of("../outside"), "/x", "", false, null, null))
                .hasMessage("forbidden path outside the build context: ../outside");
        assertThatThrownBy(() -> layer(List.of("escape"), "/x", "", false, null, null))
                .hasMessage("forbidden path outside the build context: escape (escape is a symlink to /etc/passwd)");
        assertThatThrownBy(() -> layer(List.of("up"), "/x", "", false, null, null))
                .hasMessage("forbidden path outside the build context: up (up is a symlink to ../outside)");
        assertThatThrownBy(() -> layer(List.of("http://example.com/x.tar"), "/x", "", true, null, null))
                .hasMessageStartingWith("ADD from a URL (http://example.com/x.tar) is not supported by this Engine");
        assertThatThrownBy(() -> layer(List.of("https://example.com/x"), "/x", "", false, null, null))
                .hasMessage("source can't be a URL for COPY");
    }

    @Test
    void theDestinationGoesThroughTheImagesSymlinks() throws IOException {
        assertThat(entries(layer(List.of("a.txt"), "/lib/a.txt", "", false, null, null)).keySet())
                .containsExactly("usr/", "usr/lib/", "usr/lib/a.txt");
    }

    @Test
    void addExtractsALocalArchiveAndCopyDoesNot() throws IOException {
        assertThat(entries(layer(List.of("pkg.tar.gz"), "/opt/", "", true, null, null)).keySet())
                .containsExactly("opt/", "opt/pkg/", "opt/pkg/README");
        assertThat(entries(layer(List.of("pkg.tar.gz"), "/opt/", "", false, null, null)).keySet())
                .containsExactly("opt/", "opt/pkg.tar.gz");
    }

    @Test
    void theLayerUnpacksOntoTheImageLeavingWhatItDidNotCopy() throws IOException {
        LayerBlob layer = layer(List.of("conf", "a.txt"), "/tmp/", "", false, null, null);
        Path tree = Files.createDirectory(temp.resolve("tree"));
        try (InputStream in = Files.newInputStream(layer.file())) {
            LayerUnpacker.unpack(in, layer.diffId(), tree, LayerUnpacker.Whiteouts.OVERLAY);
        }
        assertThat(Files.getAttribute(tree.resolve("tmp"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(041777);
        assertThat(tree.resolve("tmp/app.yml")).hasContent("yml");
        assertThat(tree.resolve("tmp/a.txt")).hasContent("a");
        assertThat(Files.readSymbolicLink(tree.resolve("tmp/link"))).isEqualTo(Path.of("app.yml"));
    }

    @Test
    void checksumsFollowContentNotTimes() throws IOException {
        List<CopySources.Source> sources = CopySources.resolve(context.root(), List.of("conf"),
                CopySources.Origin.CONTEXT, "COPY");
        String before = SourceChecksums.of(context.root(), sources, name -> context.contentDigest(name).orElse(null));
        assertThat(before).startsWith("dir:");
        Files.setLastModifiedTime(context.root().resolve("conf/app.yml"), java.nio.file.attribute.FileTime
                .fromMillis(0));
        assertThat(SourceChecksums.of(context.root(), sources, name -> null)).isEqualTo(before);
        Files.writeString(context.root().resolve("conf/app.yml"), "changed");
        assertThat(SourceChecksums.of(context.root(), sources, name -> null)).isNotEqualTo(before);
        assertThat(SourceChecksums.of(context.root(), CopySources.resolve(context.root(), List.of("a.txt", "b.txt"),
                CopySources.Origin.CONTEXT, "COPY"), name -> null)).startsWith("multi:");
        assertThat(SourceChecksums.of(context.root(), CopySources.resolve(context.root(), List.of("a.txt"),
                CopySources.Origin.CONTEXT, "COPY"), name -> null))
                .isEqualTo(SourceChecksums.of(context.root(), CopySources.resolve(context.root(), List.of("a.txt"),
                        CopySources.Origin.CONTEXT, "COPY"), name -> context.contentDigest(name).orElse(null)));
    }
}
