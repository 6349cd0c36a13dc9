package io.berth.engine.runtime.spec;

import java.math.BigInteger;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The seccomp filter of a container ({@code linux.seccomp}): what a system call not listed gets, the architectures the
 * filter covers, and the rules. Names of actions, architectures, operators and flags are those of the runtime spec
 * ({@code SCMP_ACT_ERRNO}, {@code SCMP_ARCH_X86_64}, {@code SCMP_CMP_MASKED_EQ}, {@code SECCOMP_FILTER_FLAG_LOG}).
 *
 * @param defaultErrnoRet the errno of a {@code SCMP_ACT_ERRNO} default action; null for EPERM
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<String> flags,
        List<Syscall> syscalls) {

    /** What the calls named get when their arguments match all of {@code args} (none: always). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Syscall(List<String> names, String action, Integer errnoRet, List<Arg> args) {
    }

    /**
     * A comparison of argument {@code index} with {@code value}; for {@code SCMP_CMP_MASKED_EQ}, {@code value} is the
     * mask and {@code valueTwo} what the masked argument must equal. Values are unsigned 64-bit.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arg(int index, BigInteger value, BigInteger valueTwo, String op) {
    }
}
