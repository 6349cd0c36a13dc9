package io.berth.engine.runtime.berthinit;

import java.io.IOException;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.cgroup.CgroupsDetector;
import io.berth.support.RequiredTools;

/** {@link NativeRuntimeTest}'s containers run by runc, through berth-init's DELEGATE mode (skipped without runc). */
class RuncRuntimeTest extends NativeRuntimeTest {

    @Override
    ContainerRuntime newRuntime() throws IOException {
        RequiredTools.require("runc", "runc");
        return OciCliRuntime.install("runc", temp.resolve("data"), CgroupsDetector.detect());
    }
}
