package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which seccomp filter a container gets, decided as dockerd decides it: Docker's default profile (Berth's builtin one,
 * {@code seccomp-default.json} beside this class, in Docker's profile format), the profile that
 * {@code --security-opt seccomp=<file>} sent, or none for {@code seccomp=unconfined} and for a privileged container
 * without a profile of its own. The profile's conditional rules are resolved here, for the container's bounding
 * capabilities and for this machine's architecture and kernel; what is not a valid profile is refused in Docker's
 * words before the container exists.
 */
public final class SeccompPolicy {

    /** {@code --security-opt seccomp=unconfined}: no filter. */
    public static final String UNCONFINED = "unconfined";

    /** {@code --security-opt seccomp=builtin}: the default profile, as when nothing is said. */
    public static final String BUILTIN = "builtin";

    private static final String DEFAULT_PROFILE = "seccomp-default.json";
    private static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG");
    private static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final Set<String> FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
    private static final Set<String> ARCHITECTURES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64");
    /** The JVM's os.arch to Docker's name of the architecture (as profiles' "arches" say it) and seccomp's. */
    private static final Map<String, String[]> MACHINES = Map.of(
            "amd64", new String[] {"amd64", "SCMP_ARCH_X86_64"}, "x86_64", new String[] {"amd64", "SCMP_ARCH_X86_64"},
            "x86", new String[] {"x86", "SCMP_ARCH_X86"}, "i386", new String[] {"x86", "SCMP_ARCH_X86"},
            "aarch64", new String[] {"arm64", "SCMP_ARCH_AARCH64"}, "arm", new String[] {"arm", "SCMP_ARCH_ARM"},
            "ppc64le", new String[] {"ppc64le", "SCMP_ARCH_PPC64LE"}, "s390x", new String[] {"s390x", "SCMP_ARCH_S390X"},
            "riscv64", new String[] {"riscv64", "SCMP_ARCH_RISCV64"},
            "loongarch64", new String[] {"loongarch64", "SCMP_ARCH_LOONGARCH64"});
    private static final Pattern KERNEL = Pattern.compile("(\\d+)\\.(\\d+).*", Pattern.DOTALL);
    private static final BigInteger MAX_VALUE = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static volatile SeccompPolicy host;

    private final String arch;
    private final String seccompArch;
    private final int[] kernel;
    private final boolean supported;

    /**
     * @param machine   the machine as the JVM's {@code os.arch} names it
     * @param release   the kernel's release ({@code uname -r})
     * @param supported whether the kernel filters system calls (CONFIG_SECCOMP_FILTER)
     */
    SeccompPolicy(String machine, String release, boolean supported) {
        String[] names = MACHINES.getOrDefault(machine.toLowerCase(Locale.ROOT), new String[] {machine, null});
        this.arch = names[0];
        this.seccompArch = names[1];
        Matcher m = KERNEL.matcher(release);
        this.kernel = m.matches() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}
                : new int[] {0, 0};
        this.supported = supported;
    }

    /** The policy of this machine. */
    public static SeccompPolicy host() {
        SeccompPolicy policy = host;
        if (policy == null) {
            policy = new SeccompPolicy(System.getProperty("os.arch"), System.getProperty("os.version"),
                    kernelFilters());
            host = policy;
        }
        return policy;
    }

    /** Whether containers here get seccomp filters at all (what {@code docker info}'s SecurityOptions then shows). */
    public boolean supported() {
        return supported;
    }

    /**
     * The seccomp option of a Docker SecurityOpt list ({@code seccomp=<value>}, or the older {@code seccomp:<value>}):
     * {@value #UNCONFINED}, {@value #BUILTIN} or a profile's JSON; null when there is none.
     */
    public static String option(List<String> securityOpt) {
        String value = null;
        for (String option : securityOpt == null ? List.<String>of() : securityOpt) {
            if (option.startsWith("seccomp=") || option.startsWith("seccomp:")) {
                value = option.substring("seccomp=".length());
            }
        }
        return value;
    }

    /**
     * The filter of a container: {@code option} as {@link #option} returns it (null: the default), whether it is
     * privileged, its bounding capabilities. Null for none.
     */
    public Seccomp forContainer(String option, boolean privileged, List<String> bounding) {
        if (UNCONFINED.equals(option) || (privileged && option == null)) {
            return null;
        }
        boolean custom = option != null && !option.equals(BUILTIN);
        if (!supported) {
            if (custom) {
                throw new InvalidContainerSettingsException(
                        "seccomp is not enabled in your kernel, cannot run a custom seccomp profile");
            }
            return null; // dockerd runs it without the default profile then, with a warning
        }
        return resolve(custom ? SeccompProfile.parse(option) : defaultProfile(), bounding);
    }

    /** Docker's default profile as Berth keeps it. */
    static SeccompProfile defaultProfile() {
        try (InputStream in = SeccompPolicy.class.getResourceAsStream(DEFAULT_PROFILE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_PROFILE + " is missing from the classpath");
            }
            return SeccompProfile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules of {@code profile} that apply to a container with these bounding capabilities on this machine. */
    Seccomp resolve(SeccompProfile profile, List<String> bounding) {
        List<SeccompProfile.Rule> rules = profile.syscalls() == null ? List.of() : profile.syscalls();
        if ((profile.defaultAction() == null || profile.defaultAction().isEmpty()) && rules.isEmpty()) {
            return null; // nothing said: no filter, as dockerd reads it
        }
        if (profile.listenerPath() != null && !profile.listenerPath().isEmpty()) {
            throw invalid("a seccomp listener (listenerPath) is not supported");
        }
        if (profile.architectures() != null && !profile.architectures().isEmpty() && profile.archMap() != null
                && !profile.archMap().isEmpty()) {
            throw invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either "
                    + "'architectures' or 'archMap'");
        }
        action(profile.defaultAction());
        List<String> architectures = new ArrayList<>(profile.architectures() == null ? List.of()
                : profile.architectures());
        for (SeccompProfile.ArchitectureMap map : profile.archMap() == null ? List.<SeccompProfile.ArchitectureMap>of()
                : profile.archMap()) {
            if (map.architecture() != null && map.architecture().equals(seccompArch)) {
                architectures.add(map.architecture());
                architectures.addAll(map.subArchitectures() == null ? List.of() : map.subArchitectures());
                break;
            }
        }
        for (String architecture : architectures) {
            if (!ARCHITECTURES.contains(architecture)) {
                throw invalid("unknown seccomp architecture \"" + architecture + "\"");
            }
        }
        for (String flag : profile.flags() == null ? List.<String>of() : profile.flags()) {
            if (!FLAGS.contains(flag)) {
                throw invalid("unknown seccomp flag \"" + flag + "\"");
            }
        }
        List<Seccomp.Syscall> syscalls = new ArrayList<>();
        for (SeccompProfile.Rule rule : rules) {
            List<String> names = names(rule);
            if (applies(rule, bounding)) {
                syscalls.add(new Seccomp.Syscall(names, action(rule.action()), rule.errnoRet(), args(rule)));
            }
        }
        return new Seccomp(profile.defaultAction(), profile.defaultErrnoRet(),
                architectures.isEmpty() ? null : List.copyOf(architectures),
                profile.flags() == null || profile.flags().isEmpty() ? null : profile.flags(), List.copyOf(syscalls));
    }

    private boolean applies(SeccompProfile.Rule rule, List<String> bounding) {
        SeccompProfile.Filter excludes = rule.excludes(), includes = rule.includes();
        if (excludes != null) {
            if (excludes.arches() != null && excludes.arches().contains(arch)) {
                return false;
            }
            if (excludes.caps() != null && excludes.caps().stream().anyMatch(bounding::contains)) {
                return false;
            }
            if (excludes.minKernel() != null && !excludes.minKernel().isEmpty() && kernelAtLeast(excludes.minKernel())) {
                return false;
            }
        }
        if (includes != null) {
            if (includes.arches() != null && !includes.arches().isEmpty() && !includes.arches().contains(arch)) {
                return false;
            }
            if (includes.caps() != null && !bounding.containsAll(includes.caps())) {
                return false;
            }
            if (includes.minKernel() != null && !includes.minKernel().isEmpty() && !kernelAtLeast(includes.minKernel())) {
                return false;
            }
        }
        return true;
    }

    private boolean kernelAtLeast(String version) {
        String[] parts = version.split("\\.", -1);
        int major, minor;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw invalid("invalid kernel version: \"" + version + "\", expected \"<kernel>.<major>\"");
        }
        return kernel[0] > major || (kernel[0] == major && kernel[1] >= minor);
    }

    private static List<String> names(SeccompProfile.Rule rule) {
        boolean hasName = rule.name() != null && !rule.name().isEmpty();
        boolean hasNames = rule.names() != null && !rule.names().isEmpty();
        if (hasName && hasNames) {
            throw invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
        }
        if (!hasName && !hasNames) {
            throw invalid("a seccomp rule names no system call");
        }
        return hasName ? List.of(rule.name()) : rule.names();
    }

    private static List<Seccomp.Arg> args(SeccompProfile.Rule rule) {
        if (rule.args() == null || rule.args().isEmpty()) {
            return null;
        }
        List<Seccomp.Arg> args = new ArrayList<>();
        for (SeccompProfile.ProfileArg arg : rule.args()) {
            if (arg.index() < 0 || arg.index() > 5) {
                throw invalid("seccomp argument index " + arg.index() + " is not one of 0 to 5");
            }
            if (!OPERATORS.contains(arg.op())) {
                throw invalid("unknown seccomp operator \"" + arg.op() + "\"");
            }
            args.add(new Seccomp.Arg(arg.index(), value(arg.value()), arg.valueTwo() == null
                    || arg.valueTwo().signum() == 0 ? null : value(arg.valueTwo()), arg.op()));
        }
        return List.copyOf(args);
    }

    private static BigInteger value(BigInteger value) {
        BigInteger v = value == null ? BigInteger.ZERO : value;
        if (v.signum() < 0 || v.compareTo(MAX_VALUE) > 0) {
            throw invalid("seccomp argument value " + v + " is not an unsigned 64-bit number");
        }
        return v;
    }

    private static String action(String action) {
        if ("SCMP_ACT_NOTIFY".equals(action)) {
            throw invalid("the seccomp action SCMP_ACT_NOTIFY is not supported");
        }
        if (action == null || !ACTIONS.contains(action)) {
            throw invalid("unknown seccomp action \"" + action + "\"");
        }
        return action;
    }

    private static InvalidContainerSettingsException invalid(String message) {
        return new InvalidContainerSettingsException(message);
    }

    /** Whether this kernel filters system calls: /proc/self/status has a Seccomp line only with CONFIG_SECCOMP. */
    private static boolean kernelFilters() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.startsWith("Seccomp:"));
        } catch (IOException e) {
            return false;
        }
    }
}
