package io.berth.engine.runtime.spec;

import java.math.BigInteger;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A seccomp profile in Docker's format: the file {@code docker run --security-opt seccomp=<file>} sends, and Berth's
 * builtin one. Beside the runtime spec's fields it has rules that apply only on some architectures
 * ({@code archMap}, {@code arches}), kernels ({@code minKernel}) or to containers with some capabilities
 * ({@code caps}); {@link SeccompPolicy} resolves them for one container into a {@link Seccomp}. Unknown fields are
 * ignored, as dockerd ignores them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompProfile(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
        List<ArchitectureMap> archMap, List<String> flags, String listenerPath, List<Rule> syscalls) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** An architecture and those its processes may also use (x86-64 runs x86 and x32 code). */
    public record ArchitectureMap(String architecture, List<String> subArchitectures) {
    }

    /**
     * A rule: {@code name} (one call, the older form) or {@code names}, the action, its errno, conditions on the
     * arguments; {@code includes} and {@code excludes} say where the rule applies.
     */
    public record Rule(String name, List<String> names, String action, Integer errnoRet, List<ProfileArg> args,
            String comment, Filter includes, Filter excludes) {
    }

    /** An argument condition as a profile writes it ({@code value} may be any unsigned 64-bit number). */
    public record ProfileArg(int index, BigInteger value, BigInteger valueTwo, String op) {
    }

    /**
     * Where a rule applies: {@code caps}, all of them in the container's bounding set; {@code arches}, Docker's names
     * of the machine's architecture ({@code amd64}, {@code arm64}, ...); {@code minKernel}, {@code "<major>.<minor>"}.
     */
    public record Filter(List<String> caps, List<String> arches, String minKernel) {
    }

    /** The profile in {@code json}; a refusal in dockerd's words when it is none. */
    public static SeccompProfile parse(String json) {
        try {
            SeccompProfile profile = JSON.readValue(json, SeccompProfile.class);
            if (profile == null) {
                throw new InvalidContainerSettingsException("Decoding seccomp profile failed: the profile is null");
            }
            return profile;
        } catch (JacksonException e) {
            throw new InvalidContainerSettingsException("Decoding seccomp profile failed: " + e.getOriginalMessage());
        }
    }
}
