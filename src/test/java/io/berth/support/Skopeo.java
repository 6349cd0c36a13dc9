package io.berth.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs skopeo as a user would, with caches private to one test (see {@link ContainersIsolation}).
 * Skips the test (fails it in CI) when skopeo is not installed.
 */
public final class Skopeo {

    private final Path stateDir;

    /** @param stateDir where this instance keeps its cache and runtime files; the test owns and removes it */
    public Skopeo(Path stateDir) {
        RequiredTools.require("skopeo", "skopeo");
        this.stateDir = stateDir;
    }

    /** Runs {@code skopeo <args>} and fails the test with skopeo's output unless it succeeds. */
    public Commands.Result run(String... args) {
        return command(args).succeed();
    }

    /** {@code skopeo <args>} with the private cache, to run or to expect a failure from. */
    public Commands command(String... args) {
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        command.addAll(List.of(args));
        return ContainersIsolation.isolate(Commands.of(command), stateDir);
    }
}
