package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.engine.runtime.cgroup.CgroupVersion;
import io.berth.engine.runtime.spec.Device;
import io.berth.engine.runtime.spec.Mount;
import io.berth.engine.runtime.spec.Namespace;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.Rlimit;
import io.berth.engine.runtime.spec.Seccomp;
import io.berth.engine.runtime.spec.Spec;

/**
 * Turns an OCI spec into the plan berth-init carries out, so that the C side needs no JSON parser and makes no
 * decision of its own.
 *
 * <p>A plan is text, one directive a line: the directive's name, then its fields, separated by single spaces. Each
 * field is percent-encoded: every byte (of its UTF-8) outside {@code !}..{@code ~}, and {@code %} itself, becomes
 * {@code %XX}; an empty field is a lone {@code %}. So arguments and environment values keep their spaces and
 * newlines. Mount options are translated here into mount(2) flags, propagation flags and a data string; capability
 * sets into hexadecimal masks; rlimit names into resource numbers. The full list of directives is documented at
 * the top of {@code src/main/c/berth-init.h}: {@code ns, hostname, rootfs, mount, device, symlink, mask, readonly,
 * sysctl, cgroup, rlimit, oomscoreadj, user, umask, caps, nonewprivs, seccomp, seccomp-arch, seccomp-rule, cwd, env,
 * args, terminal, stdin}, and for a container or exec berth-init only monitors while another runtime makes it,
 * {@code delegate-create, delegate-start, delegate-exec}.
 */
public final class PlanWriter {

    /** Set to {@code open} on a container's spec to give it a stdin pipe fed by attach; else stdin is /dev/null. */
    public static final String STDIN_ANNOTATION = Spec.STDIN_ANNOTATION;

    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOATIME = 1024, MS_NODIRATIME = 2048,
            MS_BIND = 4096, MS_REC = 16384, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
            MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;

    /** Options that set a flag, and (negative entries) those that clear one. */
    private static final Map<String, Long> SET_FLAGS = Map.ofEntries(Map.entry("ro", MS_RDONLY),
            Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV), Map.entry("noexec", MS_NOEXEC),
            Map.entry("sync", MS_SYNCHRONOUS), Map.entry("remount", MS_REMOUNT), Map.entry("mand", MS_MANDLOCK),
            Map.entry("dirsync", MS_DIRSYNC), Map.entry("noatime", MS_NOATIME),
            Map.entry("nodiratime", MS_NODIRATIME), Map.entry("bind", MS_BIND), Map.entry("rbind", MS_BIND | MS_REC),
            Map.entry("relatime", MS_RELATIME), Map.entry("strictatime", MS_STRICTATIME));
    private static final Map<String, Long> CLEAR_FLAGS = Map.ofEntries(Map.entry("rw", MS_RDONLY),
            Map.entry("suid", MS_NOSUID), Map.entry("dev", MS_NODEV), Map.entry("exec", MS_NOEXEC),
            Map.entry("async", MS_SYNCHRONOUS), Map.entry("nomand", MS_MANDLOCK), Map.entry("atime", MS_NOATIME),
            Map.entry("diratime", MS_NODIRATIME), Map.entry("norelatime", MS_RELATIME),
            Map.entry("nostrictatime", MS_STRICTATIME));
    private static final Map<String, Long> PROPAGATION = Map.of("private", MS_PRIVATE, "rprivate",
            MS_PRIVATE | MS_REC, "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC, "shared", MS_SHARED, "rshared",
            MS_SHARED | MS_REC, "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Capability numbers from linux/capability.h, in order. */
    private static final List<String> CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
            "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
            "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    /** Resource numbers from sys/resource.h, in order. */
    private static final List<String> RLIMITS = List.of("CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC",
            "NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME");

    /** The nodes every container's /dev has, as runc and crun add them whatever the spec lists. */
    private static final List<Device> DEFAULT_DEVICES = List.of(new Device("/dev/null", "c", 1, 3, 0666, 0, 0),
            new Device("/dev/zero", "c", 1, 5, 0666, 0, 0), new Device("/dev/full", "c", 1, 7, 0666, 0, 0),
            new Device("/dev/random", "c", 1, 8, 0666, 0, 0), new Device("/dev/urandom", "c", 1, 9, 0666, 0, 0),
            new Device("/dev/tty", "c", 5, 0, 0666, 0, 0));

    private final StringBuilder plan = new StringBuilder();

    private PlanWriter() {
    }

    /**
     * The plan of a container: {@code bundle} resolves a relative root path and bind sources, {@code cgroupProcs}
     * are the files its first process joins, {@code cgroupVersion} says how to mount a {@code cgroup} mount.
     */
    public static String container(Spec spec, Path bundle, List<Path> cgroupProcs, CgroupVersion cgroupVersion)
            throws IOException {
        PlanWriter w = new PlanWriter();
        if (spec.root() == null || spec.process() == null) {
            throw new IOException("the spec has no root or no process");
        }
        var linux = spec.linux();
        for (Namespace ns : linux == null || linux.namespaces() == null ? List.<Namespace>of() : linux.namespaces()) {
            String type = switch (ns.type()) {
                case "pid", "mount", "uts", "ipc", "cgroup" -> ns.type();
                case "network" -> "net";
                default -> throw new IOException("the native runtime does not support " + ns.type() + " namespaces");
            };
            w.line("ns", type, ns.path());
        }
        if (spec.hostname() != null) {
            w.line("hostname", spec.hostname());
        }
        Path rootfs = bundle.resolve(spec.root().path()).toAbsolutePath().normalize();
        long rootPropagation = MS_PRIVATE | MS_REC;
        if (linux != null && linux.rootfsPropagation() != null) {
            rootPropagation = option(PROPAGATION, linux.rootfsPropagation());
        }
        w.line("rootfs", rootfs.toString(), spec.root().readonly() ? "1" : "0", Long.toString(rootPropagation));
        boolean devMounted = false;
        for (Mount mount : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
            devMounted |= "/dev".equals(Path.of(mount.destination()).normalize().toString());
            if ("cgroup".equals(mount.type()) || "cgroup2".equals(mount.type())) {
                w.cgroupMount(mount, cgroupVersion);
            } else {
                w.mount(mount, bundle);
            }
        }
        List<Device> devices = new ArrayList<>(linux == null || linux.devices() == null ? List.of() : linux.devices());
        if (devMounted) {
            for (Device device : DEFAULT_DEVICES) {
                if (devices.stream().noneMatch(d -> d.path().equals(device.path()))) {
                    devices.add(device);
                }
            }
        }
        for (Device d : devices) {
            w.line("device", d.path(), d.type(), Long.toString(d.major()), Long.toString(d.minor()),
                    Integer.toString(d.fileMode() == null ? 0666 : d.fileMode()),
                    Integer.toString(d.uid() == null ? 0 : d.uid()), Integer.toString(d.gid() == null ? 0 : d.gid()));
        }
        if (devMounted) {
            w.line("symlink", "/proc/self/fd", "/dev/fd");
            w.line("symlink", "/proc/self/fd/0", "/dev/stdin");
            w.line("symlink", "/proc/self/fd/1", "/dev/stdout");
            w.line("symlink", "/proc/self/fd/2", "/dev/stderr");
            w.line("symlink", "pts/ptmx", "/dev/ptmx");
            if (Files.exists(Path.of("/proc/kcore"))) {
                w.line("symlink", "/proc/kcore", "/dev/core");
            }
        }
        if (linux != null) {
            for (String path : linux.maskedPaths() == null ? List.<String>of() : linux.maskedPaths()) {
                w.line("mask", path);
            }
            for (String path : linux.readonlyPaths() == null ? List.<String>of() : linux.readonlyPaths()) {
                w.line("readonly", path);
            }
            if (linux.sysctl() != null) {
                for (var sysctl : new java.util.TreeMap<>(linux.sysctl()).entrySet()) {
                    w.line("sysctl", sysctl.getKey().replace('.', '/'), sysctl.getValue());
                }
            }
        }
        for (Path procs : cgroupProcs) {
            w.line("cgroup", procs.toString());
        }
        w.process(spec.process());
        w.plan.append(seccomp(linux == null ? null : linux.seccomp()));
        boolean openStdin = spec.annotations() != null && "open".equals(spec.annotations().get(STDIN_ANNOTATION));
        w.line("stdin", openStdin ? "open" : "null");
        return w.plan.toString();
    }

    /**
     * The plan of a process run in a running container; its stdin is a pipe fed by attach. {@code seccomp} is the
     * container's filter as {@link #seccomp} wrote it: the process gets it too.
     */
    public static String exec(Process process, List<Path> cgroupProcs, String seccomp) throws IOException {
        PlanWriter w = new PlanWriter();
        for (Path procs : cgroupProcs) {
            w.line("cgroup", procs.toString());
        }
        w.process(process);
        w.plan.append(seccomp);
        w.line("stdin", "open");
        return w.plan.toString();
    }

    /** The directives of a seccomp filter (none for null): {@code seccomp}, {@code seccomp-arch}, {@code seccomp-rule}. */
    public static String seccomp(Seccomp seccomp) throws IOException {
        PlanWriter w = new PlanWriter();
        for (List<String> directive : SeccompPlan.directives(seccomp)) {
            w.line(directive.toArray(String[]::new));
        }
        return w.plan.toString();
    }

    /**
     * The plan of a container another runtime (runc, crun) makes: berth-init runs {@code create}, which leaves the
     * container's process waiting and writes its pid to {@code runtime.pid}, and on start {@code start}.
     */
    public static String delegatedContainer(Process process, boolean openStdin, List<String> create,
            List<String> start) {
        PlanWriter w = new PlanWriter();
        w.terminal(process);
        w.line("stdin", openStdin ? "open" : "null");
        w.command("delegate-create", create);
        w.command("delegate-start", start);
        return w.plan.toString();
    }

    /** The plan of a process another runtime runs in a container: on start berth-init runs {@code exec}. */
    public static String delegatedExec(Process process, List<String> exec) {
        PlanWriter w = new PlanWriter();
        w.terminal(process);
        w.line("stdin", "open");
        w.command("delegate-exec", exec);
        return w.plan.toString();
    }

    private void command(String directive, List<String> argv) {
        List<String> fields = new ArrayList<>(List.of(directive));
        fields.addAll(argv);
        line(fields.toArray(String[]::new));
    }

    private void terminal(Process p) {
        if (p.terminal()) {
            var size = p.consoleSize();
            line("terminal", Integer.toString(size == null ? 24 : size.height()),
                    Integer.toString(size == null ? 80 : size.width()));
        }
    }

    private void process(Process p) throws IOException {
        if (p.args() == null || p.args().isEmpty()) {
            throw new IOException("the process has no args");
        }
        for (Rlimit limit : p.rlimits() == null ? List.<Rlimit>of() : p.rlimits()) {
            int resource = RLIMITS.indexOf(limit.type().replaceFirst("^RLIMIT_", ""));
            if (resource < 0) {
                throw new IOException("unknown rlimit " + limit.type());
            }
            line("rlimit", Integer.toString(resource), Long.toUnsignedString(limit.soft()),
                    Long.toUnsignedString(limit.hard()));
        }
        if (p.oomScoreAdj() != null) {
            line("oomscoreadj", p.oomScoreAdj().toString());
        }
        if (p.user() != null) {
            List<String> user = new ArrayList<>(List.of("user", Integer.toString(p.user().uid()),
                    Integer.toString(p.user().gid())));
            for (Integer gid : p.user().additionalGids() == null ? List.<Integer>of() : p.user().additionalGids()) {
                user.add(gid.toString());
            }
            line(user.toArray(String[]::new));
            if (p.user().umask() != null) {
                line("umask", Integer.toOctalString(p.user().umask()));
            }
        }
        if (p.capabilities() != null) {
            var c = p.capabilities();
            line("caps", mask(c.bounding()), mask(c.effective()), mask(c.inheritable()), mask(c.permitted()),
                    mask(c.ambient()));
        }
        if (p.noNewPrivileges()) {
            line("nonewprivs");
        }
        line("cwd", p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd());
        for (String env : p.env() == null ? List.<String>of() : p.env()) {
            line("env", env);
        }
        List<String> args = new ArrayList<>(List.of("args"));
        args.addAll(p.args());
        line(args.toArray(String[]::new));
        terminal(p);
    }

    private void mount(Mount mount, Path bundle) throws IOException {
        long flags = 0, propagation = 0;
        List<String> data = new ArrayList<>();
        for (String option : mount.options() == null ? List.<String>of() : mount.options()) {
            if (SET_FLAGS.containsKey(option)) {
                flags |= SET_FLAGS.get(option);
            } else if (CLEAR_FLAGS.containsKey(option)) {
                flags &= ~CLEAR_FLAGS.get(option);
            } else if (PROPAGATION.containsKey(option)) {
                propagation |= PROPAGATION.get(option);
            } else {
                data.add(option);
            }
        }
        if ("bind".equals(mount.type())) {
            flags |= MS_BIND;
        }
        String source = mount.source() == null ? "none" : mount.source();
        if ((flags & MS_BIND) != 0) {
            source = bundle.resolve(source).toAbsolutePath().normalize().toString();
        }
        line("mount", mount.destination(), mount.type() == null ? "none" : mount.type(), source,
                Long.toString(flags), Long.toString(propagation), String.join(",", data));
    }

    /**
     * A cgroup mount: cgroup2 on v2; on v1 (and hybrid) a tmpfs holding each v1 hierarchy, seen from the
     * container's cgroup namespace, read-only as the options ask, as runc does it.
     */
    private void cgroupMount(Mount mount, CgroupVersion version) throws IOException {
        long flags = 0;
        for (String option : mount.options() == null ? List.<String>of() : mount.options()) {
            if (SET_FLAGS.containsKey(option)) {
                flags |= SET_FLAGS.get(option);
            }
        }
        String dest = mount.destination();
        if (version == CgroupVersion.V2) {
            line("mount", dest, "cgroup2", "cgroup", Long.toString(flags), "0", "");
            return;
        }
        long tmpfsFlags = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
        line("mount", dest, "tmpfs", "tmpfs", Long.toString(tmpfsFlags), "0", "mode=755");
        Map<String, String> hierarchies = v1Hierarchies();
        for (var h : hierarchies.entrySet()) {
            line("mount", dest + "/" + h.getKey(), "cgroup", "cgroup", Long.toString(flags), "0", h.getValue());
            if (h.getKey().contains(",")) {
                for (String alias : h.getKey().split(",")) {
                    line("symlink", h.getKey(), dest + "/" + alias);
                }
            }
        }
        if ((flags & MS_RDONLY) != 0) {
            line("mount", dest, "tmpfs", "tmpfs", Long.toString(tmpfsFlags | MS_RDONLY | MS_REMOUNT), "0", "");
        }
    }

    /** The host's v1 hierarchies: directory name under /sys/fs/cgroup to the options that mount it. */
    private static Map<String, String> v1Hierarchies() throws IOException {
        Map<String, String> hierarchies = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String[] fields = halves[0].split(" ");
            String[] fs = halves.length == 2 ? halves[1].split(" ") : new String[0];
            if (fs.length < 3 || !fs[0].equals("cgroup")) {
                continue;
            }
            List<String> options = new ArrayList<>(List.of(fs[2].split(",")));
            options.removeIf(o -> o.equals("rw") || o.equals("ro"));
            if (options.stream().allMatch(o -> o.startsWith("name="))) {
                options.add(0, "none");
            }
            hierarchies.putIfAbsent(Path.of(fields[4]).getFileName().toString(), String.join(",", options));
        }
        return hierarchies;
    }

    private static long option(Map<String, Long> table, String option) throws IOException {
        Long value = table.get(option);
        if (value == null) {
            throw new IOException("unknown mount option " + option);
        }
        return value;
    }

    private static String mask(List<String> names) throws IOException {
        long mask = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int bit = CAPABILITIES.indexOf(name.replaceFirst("^CAP_", ""));
            if (bit < 0) {
                throw new IOException("unknown capability " + name);
            }
            mask |= 1L << bit;
        }
        return Long.toHexString(mask);
    }

    /** Appends one directive; null fields at the end are left out (an optional field absent). */
    private void line(String... fields) {
        int count = fields.length;
        while (count > 1 && fields[count - 1] == null) {
            count--;
        }
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                plan.append(' ');
            }
            plan.append(i == 0 ? fields[0] : encode(fields[i]));
        }
        plan.append('\n');
    }

    static String encode(String field) {
        if (field.isEmpty()) {
            return "%";
        }
        StringBuilder out = new StringBuilder(field.length());
        for (byte b : field.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > ' ' && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return out.toString();
    }
}
