package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The exit codes dockerd gives a container or an exec whose process could not be started, by what went wrong. */
class StartFailureTest {

    @Test
    void aProgramNotFoundIs127() {
        StartFailure failure = new StartFailure("lookup", "ENOENT",
                "exec: \"nope\": executable file not found in $PATH");
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_FOUND);
        assertThat(failure.containerExitCode()).isEqualTo(127);
        assertThat(failure.execExitCode()).isEqualTo(127);
        assertThat(failure).hasMessage("exec: \"nope\": executable file not found in $PATH");
        assertThat(failure.stage()).isEqualTo("lookup");
        assertThat(failure.errno()).isEqualTo("ENOENT");
    }

    @Test
    void aProgramThatMayNotRunIs126() {
        StartFailure failure = new StartFailure("exec", "EACCES", "exec /etc/passwd: permission denied");
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.PERMISSION_DENIED);
        assertThat(failure.containerExitCode()).isEqualTo(126);
        assertThat(failure.execExitCode()).isEqualTo(126);
    }

    @Test
    void aFileWhereADirectoryMustBeIs127AsOnDockerd() {
        StartFailure failure = new StartFailure("cwd", "ENOTDIR", "chdir to /etc/passwd: not a directory");
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_A_DIRECTORY);
        assertThat(failure.containerExitCode()).isEqualTo(127);
    }

    @Test
    void anythingElseIs128ForAContainerAnd126ForAnExec() {
        for (String errno : new String[] {"EPERM", "EINVAL", null}) {
            StartFailure failure = new StartFailure("user", errno, "setuid 1000");
            assertThat(failure.kind()).isEqualTo(StartFailure.Kind.OTHER);
            assertThat(failure.containerExitCode()).isEqualTo(StartFailure.CONTAINER_UNKNOWN).isEqualTo(128);
            assertThat(failure.execExitCode()).isEqualTo(StartFailure.EXEC_UNKNOWN).isEqualTo(126);
        }
    }
}
