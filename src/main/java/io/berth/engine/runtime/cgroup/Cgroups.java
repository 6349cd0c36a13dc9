package io.berth.engine.runtime.cgroup;

import java.io.IOException;

import io.berth.engine.runtime.spec.Resources;

/**
 * The machine's cgroup hierarchies as the Engine uses them: v1 (a hierarchy per controller), v2 (one unified
 * hierarchy) or hybrid (v1 controllers beside a v2 mount that holds few or none).
 */
public interface Cgroups {

    /** The layout found at start. */
    CgroupVersion version();

    /** How cgroups are managed, as /info reports it: {@code cgroupfs}. */
    String driver();

    /**
     * Creates the cgroup {@code path} (absolute within each hierarchy, e.g. {@code /berth/<id>}) in every hierarchy
     * the Engine uses and applies {@code resources} (null: no limits). Fails when a limit cannot be applied.
     */
    Cgroup create(String path, Resources resources) throws IOException;

    /** The existing cgroup {@code path}, e.g. after an Engine restart or one a runtime like runc created. */
    Cgroup open(String path);
}
