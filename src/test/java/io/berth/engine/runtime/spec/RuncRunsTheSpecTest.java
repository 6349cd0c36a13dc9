package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;
import io.berth.engine.graph.OverlayDriver;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.RequiredTools;

/** A spec the factory built is one a real runtime runs, with Docker's capabilities and the hostname set. */
class RuncRunsTheSpecTest {

    static final String CGROUP_PARENT = "/berth-test";

    @TempDir
    Path temp;

    @Test
    void runcRunsABusyboxContainerFromTheSpec() throws IOException {
        EngineRequirement.assumeEngine();
        Path runc = RequiredTools.require("runc", "runc");
        Path busybox = RequiredTools.require("/bin/busybox", "busybox-static");

        Path bundle = Files.createDirectory(temp.resolve("bundle"));
        Path rootfs = busyboxRootfs(bundle.resolve("rootfs"), busybox);
        String id = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        ContainerSettings settings = ContainerSettings.builder()
                .cmd("sh", "-c", "cat /proc/self/status; echo hostname=$(hostname); id")
                .memory(64L * 1024 * 1024)
                .pidsLimit(100L)
                .cgroupParent(CGROUP_PARENT)
                .build();
        Spec spec = new ContainerSpecFactory().build(id, settings, ImageRuntimeConfig.empty(), rootfs);
        SpecJson.write(spec, bundle);

        try {
            Commands.Result result = Commands.of(runc.toString(), "run", "--bundle", bundle.toString(), id)
                    .timeout(Duration.ofMinutes(1)).run();
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.stdout()).contains("CapEff:\t00000000a80425fb")
                    .contains("CapPrm:\t00000000a80425fb")
                    .contains("CapBnd:\t00000000a80425fb")
                    .contains("CapInh:\t0000000000000000")
                    .contains("NoNewPrivs:\t0")
                    .contains("hostname=" + id.substring(0, 12))
                    .contains("uid=0(root) gid=0(root)");
        } finally {
            Commands.of(runc.toString(), "delete", "-f", id).timeout(Duration.ofMinutes(1)).run();
            removeEmptyCgroupParents();
        }
    }

    @Test
    void runcRunsARestrictedContainerOnAnOverlayRootfs() throws IOException {
        EngineRequirement.assumeEngine();
        Path runc = RequiredTools.require("runc", "runc");
        Path busybox = RequiredTools.require("/bin/busybox", "busybox-static");

        byte[] layer = busyboxLayer(busybox);
        String chainId = Digest.sha256(layer).toString(); // a base layer's chain id is its diff id
        OverlayDriver overlay = new OverlayDriver(temp.resolve("engine"));
        overlay.createLayer(chainId, null, Digest.sha256(layer), new ByteArrayInputStream(layer));
        String id = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        Path bundle = Files.createDirectory(temp.resolve("bundle"));
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.writeString(data.resolve("hello"), "hello from the host\n");
        Path hostname = Files.writeString(temp.resolve("hostname"), "web\n");
        Path hosts = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost web\n");
        Path resolvConf = Files.writeString(temp.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        ContainerSettings settings = ContainerSettings.builder()
                .cmd("sh", "-c", "id; grep -E '^(Cap|NoNewPrivs)' /proc/self/status; echo soft=$(ulimit -n) "
                        + "hard=$(ulimit -Hn); pwd; echo $FOO $HOME; cat /etc/hostname /data/hello; "
                        + "touch /written 2>/dev/null || echo root-is-readonly; "
                        + "echo x > /scratch/f && echo tmpfs-is-writable; echo hostname=$(hostname)")
                .user("app").groupAdd("60").env("FOO=bar").workingDir("/scratch")
                .hostname("web").hostnamePath(hostname).hostsPath(hosts).resolvConfPath(resolvConf)
                .readonlyRootfs(true).tmpfs("/scratch", "size=1m,uid=1000")
                .bind(new ContainerSettings.BindMount(data, "/data", true))
                .ulimit("nofile", 512, 1024).pidsLimit(50L).nanoCpus(500_000_000L).memory(32L * 1024 * 1024)
                .noNewPrivileges(true).cgroupParent(CGROUP_PARENT)
                .build();
        try {
            Path rootfs = overlay.createRootfs(id, chainId);
            Spec spec = new ContainerSpecFactory().build(id, settings, ImageRuntimeConfig.empty(), rootfs);
            SpecJson.write(spec, bundle);

            Commands.Result result = Commands.of(runc.toString(), "run", "--bundle", bundle.toString(), id)
                    .timeout(Duration.ofMinutes(1)).run();
            assertThat(result.exitCode()).as(result.output()).isZero();
            // the kernel keeps the supplementary groups sorted
            assertThat(result.stdout()).contains("uid=1000(app) gid=1000(app) groups=50(staff),60,1000(app)")
                    .contains("CapEff:\t0000000000000000")
                    .contains("CapBnd:\t00000000a80425fb")
                    .contains("NoNewPrivs:\t1")
                    .contains("soft=512 hard=1024")
                    .contains("/scratch\nbar /home/app\nweb\nhello from the host\n")
                    .contains("root-is-readonly")
                    .contains("tmpfs-is-writable")
                    .contains("hostname=web");
            assertThat(overlay.rootfsDiff(id).resolve("written")).doesNotExist();
        } finally {
            Commands.of(runc.toString(), "delete", "-f", id).timeout(Duration.ofMinutes(1)).run();
            overlay.removeRootfs(id);
            removeEmptyCgroupParents();
        }
    }

    /** The busybox image as one layer: the binary, its applets as symlinks, an app user in group staff. */
    static byte[] busyboxLayer(Path busybox) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String dir : new String[] {"bin/", "etc/", "proc/", "sys/", "dev/", "tmp/"}) {
                TarArchiveEntry entry = new TarArchiveEntry(dir, TarConstants.LF_DIR);
                entry.setMode(0755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            add(tar, "bin/busybox", Files.readAllBytes(busybox), 0755);
            for (String applet : new String[] {"sh", "cat", "hostname", "id", "echo", "grep", "touch", "pwd"}) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarConstants.LF_SYMLINK);
                link.setLinkName("busybox");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            add(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"
                    .getBytes(StandardCharsets.UTF_8), 0644);
            add(tar, "etc/group", "root:x:0:\nstaff:x:50:app\napp:x:1000:\n".getBytes(StandardCharsets.UTF_8), 0644);
        }
        return bytes.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A root file system of busybox alone: the binary, the applets the command uses, passwd and group. */
    static Path busyboxRootfs(Path rootfs, Path busybox) throws IOException {
        for (String dir : new String[] {"bin", "etc", "proc", "sys", "dev", "tmp"}) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        for (String applet : new String[] {"sh", "cat", "hostname", "id", "echo"}) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        return rootfs;
    }

    /** runc removes the container's cgroup on delete; the shared parent goes when no other test still uses it. */
    static void removeEmptyCgroupParents() throws IOException {
        Path cgroups = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(cgroups)) {
            return;
        }
        try (var hierarchies = Files.list(cgroups)) {
            for (Path hierarchy : hierarchies.toList()) {
                try {
                    Files.deleteIfExists(hierarchy.resolve(CGROUP_PARENT.substring(1)));
                } catch (DirectoryNotEmptyException | NoSuchFileException inUseOrGone) {
                    // another test's container is still in it, or a hierarchy that is no directory
                } catch (IOException notACgroupDirectory) {
                    // e.g. a symlink such as cpu -> cpu,cpuacct: its target is visited too
                }
            }
        }
    }
}
