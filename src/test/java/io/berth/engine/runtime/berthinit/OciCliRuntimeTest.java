package io.berth.engine.runtime.berthinit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.engine.runtime.cgroup.Cgroup;
import io.berth.engine.runtime.cgroup.CgroupVersion;
import io.berth.engine.runtime.cgroup.Cgroups;
import io.berth.engine.runtime.spec.Resources;

/** What stops {@code berth.engine.runtime=runc|crun} at start, before any container is made. */
class OciCliRuntimeTest {

    @TempDir
    Path temp;

    @Test
    void crunRefusesTheHybridLayoutWithWhatToDo() {
        assertThatThrownBy(() -> OciCliRuntime.install("crun", temp, layout(CgroupVersion.HYBRID)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crun refuses the hybrid cgroup layout")
                .hasMessageContaining("Use berth.engine.runtime=native or runc");
    }

    @Test
    void onlyRuncAndCrun() {
        assertThatThrownBy(() -> OciCliRuntime.install("youki", temp, layout(CgroupVersion.V2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runc or crun");
    }

    /** A machine's layout, as far as the checks at start look. */
    private static Cgroups layout(CgroupVersion version) {
        return new Cgroups() {
            @Override
            public CgroupVersion version() {
                return version;
            }

            @Override
            public String driver() {
                return "cgroupfs";
            }

            @Override
            public Cgroup create(String path, Resources resources) {
                throw new UnsupportedOperationException("no cgroup is made at start");
            }

            @Override
            public Cgroup open(String path) {
                throw new UnsupportedOperationException("no cgroup is opened at start");
            }
        };
    }
}
