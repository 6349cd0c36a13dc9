package io.berth.engine.runtime.berthinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.cgroup.CgroupVersion;
import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.ConsoleSize;
import io.berth.engine.runtime.spec.Linux;
import io.berth.engine.runtime.spec.Mount;
import io.berth.engine.runtime.spec.Namespace;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.Rlimit;
import io.berth.engine.runtime.spec.Root;
import io.berth.engine.runtime.spec.Seccomp;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.User;

class PlanWriterTest {

    @Test
    void fieldsArePercentEncoded() {
        assertEquals("a%20b%0ac%25d", PlanWriter.encode("a b\nc%d"));
        assertEquals("%", PlanWriter.encode(""));
        assertEquals("%c3%a9", PlanWriter.encode("é"));
    }

    @Test
    void aContainerPlan() throws IOException {
        Process process = new Process(true, new ConsoleSize(30, 100), new User(1000, 1000, 022, List.of(10, 20)),
                List.of("sh", "-c", "echo a  b"), List.of("A=1 2"), "/work",
                new Capabilities(List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_KILL"), null, List.of("CAP_KILL"),
                        null),
                List.of(new Rlimit("RLIMIT_NOFILE", 1024, 512), new Rlimit("RLIMIT_CORE", -1, -1)), true, 100);
        Linux linux = new Linux(List.of(Namespace.of("pid"), new Namespace("network", "/run/netns/x")), null, null,
                null, List.of("/proc/kcore"), List.of("/proc/sys"), null, java.util.Map.of("net.ipv4.ip_forward", "1"), null);
        Spec spec = new Spec(Spec.VERSION, process, new Root("rootfs", true), "box",
                List.of(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                        new Mount("/data", "bind", "vol", List.of("rbind", "ro", "rprivate")),
                        new Mount("/tmp", "tmpfs", "tmpfs", List.of("rw", "mode=1777", "size=1m"))),
                linux, null);
        String plan = PlanWriter.container(spec, Path.of("/b"), List.of(Path.of("/cg/cgroup.procs")),
                CgroupVersion.V1);
        assertEquals(String.join("\n",
                "ns pid",
                "ns net /run/netns/x",
                "hostname box",
                "rootfs /b/rootfs 1 278528",
                "mount /proc proc proc 14 0 %",
                "mount /data bind /b/vol 20481 278528 %",
                "mount /tmp tmpfs tmpfs 0 0 mode=1777,size=1m",
                "mask /proc/kcore",
                "readonly /proc/sys",
                "sysctl net/ipv4/ip_forward 1",
                "cgroup /cg/cgroup.procs",
                "rlimit 7 512 1024",
                "rlimit 4 18446744073709551615 18446744073709551615",
                "oomscoreadj 100",
                "user 1000 1000 10 20",
                "umask 22",
                "caps 21 20 0 20 0",
                "nonewprivs",
                "cwd /work",
                "env A=1%202",
                "args sh -c echo%20a%20%20b",
                "terminal 30 100",
                "stdin null", ""), plan);
    }

    @Test
    void devSetupWhenDevIsMounted() throws IOException {
        Spec spec = new Spec(Spec.VERSION, new Process(false, null, null, List.of("true"), null, null, null, null,
                false, null), new Root("/r", false), null,
                List.of(new Mount("/dev", "tmpfs", "tmpfs", List.of("mode=755"))), null, null);
        String plan = PlanWriter.container(spec, Path.of("/b"), List.of(), CgroupVersion.V2);
        assertTrue(plan.contains("device /dev/null c 1 3 438 0 0\n"), plan);
        assertTrue(plan.contains("symlink pts/ptmx /dev/ptmx\n"), plan);
        assertTrue(plan.contains("symlink /proc/self/fd /dev/fd\n"), plan);
    }

    @Test
    void aCgroupMountOnV2() throws IOException {
        Spec spec = new Spec(Spec.VERSION, new Process(false, null, null, List.of("true"), null, null, null, null,
                false, null), new Root("/r", false), null,
                List.of(new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "ro"))), null, null);
        String plan = PlanWriter.container(spec, Path.of("/b"), List.of(), CgroupVersion.V2);
        assertTrue(plan.contains("mount /sys/fs/cgroup cgroup2 cgroup 3 0 %\n"), plan);
    }

    @Test
    void unsupportedThingsAreRefused() {
        Process bad = new Process(false, null, null, List.of("true"), null, null,
                new Capabilities(List.of("CAP_NO_SUCH"), null, null, null, null), null, false, null);
        Spec spec = new Spec(Spec.VERSION, bad, new Root("/r", false), null, null, null, null);
        assertEquals("unknown capability CAP_NO_SUCH",
                assertThrows(IOException.class, () -> PlanWriter.container(spec, Path.of("/b"), List.of(),
                        CgroupVersion.V2)).getMessage());
        Spec userNs = new Spec(Spec.VERSION, new Process(false, null, null, List.of("true"), null, null, null, null,
                false, null), new Root("/r", false), null, null,
                new Linux(List.of(Namespace.of("user")), null, null, null, null, null, null, null, null), null);
        assertThrows(IOException.class, () -> PlanWriter.container(userNs, Path.of("/b"), List.of(),
                CgroupVersion.V2));
    }

    @Test
    void anExecPlan() throws IOException {
        Process process = new Process(false, null, null, List.of("ls", "-l"), List.of("X=y"), null, null, null,
                false, null);
        assertEquals("cgroup /c/cgroup.procs\ncwd /\nenv X=y\nargs ls -l\nstdin open\n",
                PlanWriter.exec(process, List.of(Path.of("/c/cgroup.procs")), ""));
    }

    @Test
    void aSeccompFilterInLibseccompsTerms() throws IOException {
        Seccomp seccomp = new Seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"),
                List.of("SECCOMP_FILTER_FLAG_LOG"), List.of(
                        new Seccomp.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, null),
                        new Seccomp.Syscall(List.of("keyctl"), "SCMP_ACT_ERRNO", null, null),
                        new Seccomp.Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", 38, null),
                        new Seccomp.Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null, List.of(
                                new Seccomp.Arg(0, BigInteger.valueOf(2114060288L), null, "SCMP_CMP_MASKED_EQ"),
                                new Seccomp.Arg(1, BigInteger.ONE, null, "SCMP_CMP_NE"))),
                        new Seccomp.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null, List.of(
                                new Seccomp.Arg(0, BigInteger.valueOf(8), null, "SCMP_CMP_GE"),
                                new Seccomp.Arg(0, new BigInteger("18446744073709551615"), null, "SCMP_CMP_LT"))),
                        new Seccomp.Syscall(List.of("kill"), "SCMP_ACT_KILL", null, null)));
        assertEquals("""
                seccomp errno 1 log
                seccomp-arch x86_64
                seccomp-arch x32
                seccomp-rule allow 0 read
                seccomp-rule allow 0 write
                seccomp-rule errno 38 clone3
                seccomp-rule allow 0 clone 0 masked_eq 2114060288 0 1 ne 1 0
                seccomp-rule allow 0 personality 0 ge 8 0
                seccomp-rule allow 0 personality 0 lt 18446744073709551615 0
                seccomp-rule kill_thread 0 kill
                """, PlanWriter.seccomp(seccomp));
        assertEquals("", PlanWriter.seccomp(null));
        Process process = new Process(false, null, null, List.of("ls"), null, null, null, null, false, null);
        assertTrue(PlanWriter.exec(process, List.of(), PlanWriter.seccomp(seccomp)).contains("seccomp errno 1 log\n"),
                "an exec gets the container's filter");
        assertThrows(IOException.class, () -> PlanWriter.seccomp(new Seccomp("SCMP_ACT_NOTIFY", null, null, null,
                List.of())));
    }

    @Test
    void delegatedPlansNameTheRuntimesCommands() {
        Process tty = new Process(true, new ConsoleSize(30, 100), null, List.of("sh"), null, "/", null, null, false,
                null);
        assertEquals("""
                terminal 30 100
                stdin open
                delegate-create runc --root /r create --bundle /b%20x id
                delegate-start runc --root /r start id
                """, PlanWriter.delegatedContainer(tty, true, List.of("runc", "--root", "/r", "create", "--bundle",
                "/b x", "id"), List.of("runc", "--root", "/r", "start", "id")));
        Process plain = new Process(false, null, null, List.of("true"), null, "/", null, null, false, null);
        assertEquals("stdin open\ndelegate-exec runc exec -d id\n",
                PlanWriter.delegatedExec(plain, List.of("runc", "exec", "-d", "id")));
    }
}
