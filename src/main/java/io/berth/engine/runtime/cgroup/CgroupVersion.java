package io.berth.engine.runtime.cgroup;

/** Which cgroup layout a machine has. */
public enum CgroupVersion {
    /** A hierarchy per controller under /sys/fs/cgroup/<controller>. */
    V1,
    /** One unified hierarchy at /sys/fs/cgroup. */
    V2,
    /** v1 controllers, plus a v2 mount (/sys/fs/cgroup/unified) that holds few or no controllers. */
    HYBRID;

    /** As /info's CgroupVersion: "1" or "2" (hybrid counts as 1: its controllers are v1's). */
    public String dockerVersion() {
        return this == V2 ? "2" : "1";
    }
}
