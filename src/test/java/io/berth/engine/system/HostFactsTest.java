package io.berth.engine.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @Test
    void cgroupVersionIsTwoOnlyWithTheUnifiedHierarchyAtTheRoot() {
        assertThat(HostFacts.cgroupVersion(List.of(new HostFacts.Mount("/sys/fs/cgroup", "cgroup2")))).isEqualTo("2");
        // The hybrid layout of these machines: v1 controllers, cgroup2 at /sys/fs/cgroup/unified.
        assertThat(HostFacts.cgroupVersion(List.of(new HostFacts.Mount("/sys/fs/cgroup", "tmpfs"),
                new HostFacts.Mount("/sys/fs/cgroup/unified", "cgroup2"),
                new HostFacts.Mount("/sys/fs/cgroup/memory", "cgroup")))).isEqualTo("1");
    }

    @Test
    void fileSystemIsTheDeepestMountAbovePath() {
        List<HostFacts.Mount> mounts = List.of(new HostFacts.Mount("/", "ext4"), new HostFacts.Mount("/tmp", "tmpfs"),
                new HostFacts.Mount("/tmpx", "xfs"));
        assertThat(HostFacts.fileSystemOf(Path.of("/tmp/berth/engine"), mounts)).isEqualTo("tmpfs");
        assertThat(HostFacts.fileSystemOf(Path.of("/tmpx/engine"), mounts)).isEqualTo("xfs");
        assertThat(HostFacts.fileSystemOf(Path.of("/var/lib/berth"), mounts)).isEqualTo("ext4");
    }

    @Test
    void architecturesAsUnameAndGoName() {
        assertThat(HostFacts.unameMachine("amd64")).isEqualTo("x86_64");
        assertThat(HostFacts.goArch("amd64")).isEqualTo("amd64");
        assertThat(HostFacts.unameMachine("aarch64")).isEqualTo("aarch64");
        assertThat(HostFacts.goArch("aarch64")).isEqualTo("arm64");
    }

    @Test
    void osReleaseValuesLoseTheirQuotes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("os-release");
        Files.writeString(file, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian'\n# comment\nVERSION_ID=12\n");
        assertThat(HostFacts.osRelease(file)).containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("NAME", "Debian").containsEntry("VERSION_ID", "12");
    }
}
