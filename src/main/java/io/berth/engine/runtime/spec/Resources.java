package io.berth.engine.runtime.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Cgroup limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resources(Memory memory, Cpu cpu, Pids pids, List<DeviceRule> devices) {

    /** Bytes; {@code swap} is memory plus swap, -1 for unlimited, as in the spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit, Long reservation, Long swap, Boolean disableOOMKiller) {
    }

    /** {@code quota} and {@code period} in microseconds; {@code shares} relative (1024 is one default share). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {
    }

    /** The most tasks the container may have; -1 or 0 for unlimited. */
    public record Pids(long limit) {
    }

    /** A device cgroup rule: {@code type} a, c or b; {@code access} some of rwm; null numbers match all. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }
}
