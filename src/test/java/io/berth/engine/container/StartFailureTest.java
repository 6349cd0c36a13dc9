package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

class StartFailureTest {

    @Test
    void aProgramThatIsNotThereIs127AndTheCallersFault() {
        StartFailure failure = StartFailure.of(new io.berth.engine.runtime.StartFailure("lookup", "ENOENT",
                "exec: \"nosuch\": executable file not found in $PATH"));
        assertThat(failure.exitCode()).isEqualTo(127);
        assertThat(failure.kind()).isEqualTo(ErrorKind.INVALID);
        assertThat(failure.reason()).isEqualTo("exec: \"nosuch\": executable file not found in $PATH");
        assertThat(StartFailure.of(new io.berth.engine.runtime.StartFailure("cwd", "ENOTDIR", "not a directory"))
                .exitCode()).isEqualTo(127);
    }

    @Test
    void aProgramThatCannotRunIs126() {
        StartFailure failure = StartFailure.of(
                new io.berth.engine.runtime.StartFailure("exec", "EACCES", "exec /etc/passwd: permission denied"));
        assertThat(failure.exitCode()).isEqualTo(126);
        assertThat(failure.kind()).isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void theExitCodeComesFromTheRuntimesReportNotFromItsWords() {
        assertThat(StartFailure.of(new IOException("exec: \"x\": executable file not found in $PATH")).exitCode())
                .isEqualTo(128);
        assertThat(StartFailure.of(new io.berth.engine.runtime.StartFailure("exec", "ENOENT", "something went wrong"))
                .exitCode()).isEqualTo(127);
    }

    @Test
    void anythingElseIsTheRuntimes128() {
        StartFailure failure = StartFailure.of(new IOException("cannot create cgroup: device or resource busy"));
        assertThat(failure.exitCode()).isEqualTo(128);
        assertThat(failure.kind()).isEqualTo(ErrorKind.FAILED);
        BerthException answer = failure.toException(new IOException("x"));
        assertThat(answer.kind()).isEqualTo(ErrorKind.FAILED);
        assertThat(answer.getMessage()).isEqualTo("cannot create cgroup: device or resource busy");

        // a refusal of the Engine's own keeps its kind
        StartFailure refused = StartFailure.of(new BerthException(ErrorKind.NOT_FOUND, "network x not found"));
        assertThat(refused.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(refused.exitCode()).isEqualTo(128);
        assertThat(StartFailure.of(new IllegalStateException()).reason()).isEqualTo("java.lang.IllegalStateException");
    }
}
