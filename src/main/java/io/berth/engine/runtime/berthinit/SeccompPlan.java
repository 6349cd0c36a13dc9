package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.berth.engine.runtime.spec.Seccomp;

/**
 * A seccomp filter as plan directives (src/main/c/berth-init.h), in libseccomp's terms, so that berth-init only hands
 * them to libseccomp: the default action, the architectures, one rule a line. As runc does, a rule whose action is the
 * default one is left out (libseccomp refuses it), and conditions on one argument index become rules of their own
 * (libseccomp takes one condition per argument in a rule). An errno action without its number returns EPERM.
 */
final class SeccompPlan {

    private static final int EPERM = 1;

    private static final Map<String, String> ACTIONS = Map.of("SCMP_ACT_ALLOW", "allow", "SCMP_ACT_ERRNO", "errno",
            "SCMP_ACT_KILL", "kill_thread", "SCMP_ACT_KILL_THREAD", "kill_thread", "SCMP_ACT_KILL_PROCESS",
            "kill_process", "SCMP_ACT_TRAP", "trap", "SCMP_ACT_TRACE", "trace", "SCMP_ACT_LOG", "log");
    private static final Map<String, String> OPERATORS = Map.of("SCMP_CMP_NE", "ne", "SCMP_CMP_LT", "lt",
            "SCMP_CMP_LE", "le", "SCMP_CMP_EQ", "eq", "SCMP_CMP_GE", "ge", "SCMP_CMP_GT", "gt", "SCMP_CMP_MASKED_EQ",
            "masked_eq");
    private static final Map<String, String> FLAGS = Map.of("SECCOMP_FILTER_FLAG_TSYNC", "tsync",
            "SECCOMP_FILTER_FLAG_LOG", "log", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "spec_allow");

    private SeccompPlan() {
    }

    /** The directives of {@code seccomp}, each a list of fields; none for null (no filter). */
    static List<List<String>> directives(Seccomp seccomp) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        if (seccomp == null) {
            return lines;
        }
        String defaultAction = action(seccomp.defaultAction());
        int defaultErrno = errno(defaultAction, seccomp.defaultErrnoRet());
        List<String> first = new ArrayList<>(List.of("seccomp", defaultAction, Integer.toString(defaultErrno)));
        for (String flag : seccomp.flags() == null ? List.<String>of() : seccomp.flags()) {
            first.add(name(FLAGS, flag, "seccomp flag"));
        }
        lines.add(first);
        for (String arch : seccomp.architectures() == null ? List.<String>of() : seccomp.architectures()) {
            if (!arch.startsWith("SCMP_ARCH_")) {
                throw new IOException("unknown seccomp architecture " + arch);
            }
            lines.add(List.of("seccomp-arch", arch.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT)));
        }
        for (Seccomp.Syscall call : seccomp.syscalls() == null ? List.<Seccomp.Syscall>of() : seccomp.syscalls()) {
            String action = action(call.action());
            int errno = errno(action, call.errnoRet());
            if (action.equals(defaultAction) && errno == defaultErrno) {
                continue;
            }
            for (List<Seccomp.Arg> conditions : conditionSets(call.args())) {
                for (String name : call.names()) {
                    List<String> rule = new ArrayList<>(List.of("seccomp-rule", action, Integer.toString(errno), name));
                    for (Seccomp.Arg arg : conditions) {
                        rule.addAll(List.of(Integer.toString(arg.index()), name(OPERATORS, arg.op(), "seccomp operator"),
                                unsigned(arg.value()), unsigned(arg.valueTwo())));
                    }
                    lines.add(rule);
                }
            }
        }
        return lines;
    }

    /** All conditions in one rule, or each in a rule of its own when two compare the same argument. */
    private static List<List<Seccomp.Arg>> conditionSets(List<Seccomp.Arg> args) {
        if (args == null || args.isEmpty()) {
            return List.of(List.of());
        }
        boolean repeated = args.stream().map(Seccomp.Arg::index).distinct().count() < args.size();
        return repeated ? args.stream().map(List::of).toList() : List.of(args);
    }

    private static String action(String action) throws IOException {
        return name(ACTIONS, action, "seccomp action");
    }

    /** The errno an errno or trace action returns; 0 for the other actions. */
    private static int errno(String action, Integer errnoRet) {
        if (!action.equals("errno") && !action.equals("trace")) {
            return 0;
        }
        return errnoRet == null ? EPERM : errnoRet;
    }

    private static String unsigned(BigInteger value) {
        return (value == null ? BigInteger.ZERO : value).toString();
    }

    private static String name(Map<String, String> names, String value, String what) throws IOException {
        String name = names.get(value);
        if (name == null) {
            throw new IOException("berth-init does not know the " + what + " " + value);
        }
        return name;
    }
}
