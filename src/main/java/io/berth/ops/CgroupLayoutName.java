package io.berth.ops;

import java.util.Locale;

import io.berth.engine.runtime.cgroup.CgroupVersion;

/** The cgroup layout as operators write it: {@code v1}, {@code v2} or {@code hybrid}. */
final class CgroupLayoutName {

    private CgroupLayoutName() {
    }

    static String of(CgroupVersion version) {
        return version.name().toLowerCase(Locale.ROOT);
    }
}
