package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.common.Digest;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RequiredTools;
import io.berth.support.TestAccounts;

/** {@code docker import} through the Engine: a tar becomes an image that runs, shows its changes and pushes. */
class DockerCliImportTest extends BerthIntegrationTest {

    private DockerCli cli;
    private Path dir;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        EngineRequirement.assumeEngine();
        RequiredTools.require(OciImages.BUSYBOX, "busybox-static");
        cli = DockerCli.against(engineSocket());
        dir = Files.createTempDirectory("berth-import-test-");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (cli != null) {
            for (String image : images) {
                docker("rmi", "-f", image);
            }
            cli.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void importedTarCarriesItsChangesRunsAndPushes() throws IOException {
        Path archive = rootfs("busybox.tar", false, "hello from import\n");
        String name = registryHost() + "/engine-cli/imported-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        images.add(name);

        Commands.Result imported = docker("import", "--change", "ENV A=b", "--change", "CMD [\"/bin/true\"]",
                "--change", "WORKDIR /etc", "--change", "LABEL made.by=\"the import test\"", "--change", "EXPOSE 8080",
                "--message", "a busybox tar", archive.toString(), name).assertSuccess();
        String id = imported.stdout().strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");

        assertThat(docker("image", "inspect", "--format",
                "{{.Id}}|{{json .Config.Env}}|{{json .Config.Cmd}}|{{.Config.WorkingDir}}|{{json .Config.Labels}}"
                        + "|{{json .Config.ExposedPorts}}|{{.Comment}}|{{.Os}}/{{.Architecture}}"
                        + "|{{len .RootFS.Layers}}",
                name).assertSuccess().stdout().strip())
                .isEqualTo(id + "|[\"A=b\"]|[\"/bin/true\"]|/etc|{\"made.by\":\"the import test\"}|{\"8080/tcp\":{}}"
                        + "|a busybox tar|linux/amd64|1");

        // The image runs: its files, its env, its working dir, and its CMD when none is given.
        assertThat(docker("run", "--rm", name, "sh", "-c", "cat /etc/hello; echo A=$A; pwd").assertSuccess().stdout())
                .isEqualTo("hello from import\nA=b\n/etc\n");
        Commands.Result defaultCommand = docker("run", "--rm", name);
        assertThat(defaultCommand.exitCode()).as(defaultCommand.output()).isZero();

        // And it pushes like a pulled image: the Hub then serves the manifest whose config is the image id.
        docker("login", "-u", TestAccounts.ADMIN, "-p", TestAccounts.ADMIN_PASSWORD, registryHost()).assertSuccess();
        Commands.Result push = docker("push", name).assertSuccess();
        assertThat(push.stdout()).contains("Pushed").contains("1: digest: sha256:");
        String repository = name.substring(name.indexOf('/') + 1, name.lastIndexOf(':'));
        byte[] manifest = registry().get("/v2/" + repository + "/manifests/1", "Accept",
                "application/vnd.docker.distribution.manifest.v2+json").body();
        assertThat(OciImages.parse(manifest).path("config").path("digest").asString()).isEqualTo(id);
        assertThat(push.stdout()).contains("digest: " + Digest.sha256(manifest));
    }

    @Test
    void gzipArchiveWithoutRepositoryIsAnUntaggedImage() throws IOException {
        Path archive = rootfs("busybox.tar.gz", true, "compressed\n");
        // A change with commas in it arrives whole (a list binding of the query would split it).
        String id = docker("import", "--change", "ENTRYPOINT [\"/bin/cat\", \"/etc/hello\"]", archive.toString())
                .assertSuccess().stdout().strip();
        images.add(id);
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(docker("run", "--rm", id).assertSuccess().stdout()).isEqualTo("compressed\n");
        assertThat(docker("images", "-q", "--no-trunc", "--filter", "dangling=true").assertSuccess().stdout())
                .contains(id);
    }

    @Test
    void bodyThatIsNoTarIsRefused() throws IOException {
        Path notATar = Files.writeString(dir.resolve("notes.txt"), "this is not a tar archive\n".repeat(40));
        Commands.Result refused = docker("import", notATar.toString(), "engine-cli/not-a-tar:1").assertFailure();
        assertThat(refused.stderr()).contains("invalid archive: the body is not a tar archive");
        assertThat(docker("image", "inspect", "engine-cli/not-a-tar:1").assertFailure().stderr())
                .contains("No such image");
    }

    @Test
    void entryEscapingTheLayerIsRefusedAndNamed() throws IOException {
        Path archive = dir.resolve("evil.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "../escaped", 0644, "outside\n".getBytes(StandardCharsets.UTF_8));
        }
        Commands.Result refused = docker("import", archive.toString(), "engine-cli/evil:1").assertFailure();
        assertThat(refused.stderr()).contains("invalid archive").contains("../escaped");
        assertThat(Files.exists(dir.resolve("escaped"))).isFalse();
    }

    @Test
    void changeDockerdRefusesIsRefused() throws IOException {
        Path archive = rootfs("busybox.tar", false, "x\n");
        Commands.Result refused = docker("import", "--change", "RUN echo hi", archive.toString(), "engine-cli/run:1")
                .assertFailure();
        assertThat(refused.stderr()).contains("RUN is not a valid change command");
    }

    /** A root file system with the machine's static busybox as sh, cat and true, and one file of our own. */
    private Path rootfs(String fileName, boolean gzip, String hello) throws IOException {
        Path archive = dir.resolve(fileName);
        byte[] busybox = Files.readAllBytes(Path.of(OciImages.BUSYBOX));
        try (OutputStream file = Files.newOutputStream(archive);
             OutputStream out = gzip ? new GZIPOutputStream(file) : file;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            directory(tar, "bin/");
            file(tar, "bin/busybox", 0755, busybox);
            for (String applet : List.of("sh", "cat", "true", "pwd")) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            directory(tar, "etc/");
            file(tar, "etc/hello", 0644, hello.getBytes(StandardCharsets.UTF_8));
        }
        return archive;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private Commands.Result docker(String... arguments) {
        return cli.command(arguments).run();
    }
}
