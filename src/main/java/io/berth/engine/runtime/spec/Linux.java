package io.berth.engine.runtime.spec;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Linux part: namespaces, cgroup, devices, the paths hidden or made read-only, the seccomp filter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Linux(List<Namespace> namespaces, String cgroupsPath, Resources resources, List<Device> devices,
        List<String> maskedPaths, List<String> readonlyPaths, String rootfsPropagation, Map<String, String> sysctl,
        Seccomp seccomp) {
}
