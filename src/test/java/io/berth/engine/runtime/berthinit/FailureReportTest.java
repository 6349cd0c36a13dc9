package io.berth.engine.runtime.berthinit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.StartFailure;

/** berth-init's failure reports, and the errors of runc and crun it passes on, read into a {@link StartFailure}. */
class FailureReportTest {

    @Test
    void berthInitNamesTheStageAndTheErrno() {
        StartFailure failure = FailureReport.parse(
                "lookup ENOENT exec: \"no-such-program\": executable file not found in $PATH\n");
        assertThat(failure.stage()).isEqualTo("lookup");
        assertThat(failure.errno()).isEqualTo("ENOENT");
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_FOUND);
        assertThat(failure).hasMessage("exec: \"no-such-program\": executable file not found in $PATH");

        StartFailure exec = FailureReport.parse("exec EACCES exec /etc/passwd: permission denied");
        assertThat(exec.kind()).isEqualTo(StartFailure.Kind.PERMISSION_DENIED);
        assertThat(exec.stage()).isEqualTo("exec");
    }

    @Test
    void aFailureWithoutErrnoIsOfNoKnownKindWhateverItsWords() {
        StartFailure failure = FailureReport.parse("mounts - not a path with a name: /");
        assertThat(failure.errno()).isNull();
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.OTHER);
        StartFailure wordsOnly = FailureReport.parse("monitor - no such file or directory, says the text");
        assertThat(wordsOnly.kind()).isEqualTo(StartFailure.Kind.OTHER);
    }

    @Test
    void runcAndCrunSayTheErrnoInWords() {
        assertThat(FailureReport.parse("runtime - runc create failed: unable to start container process: exec: "
                + "\"no-such-program\": executable file not found in $PATH").kind())
                .isEqualTo(StartFailure.Kind.NOT_FOUND);
        assertThat(FailureReport.parse("runtime - executable file `no-such-program` not found in $PATH: No such "
                + "file or directory").kind()).isEqualTo(StartFailure.Kind.NOT_FOUND);
        assertThat(FailureReport.parse("runtime - exec failed: unable to start container process: exec: "
                + "\"/etc/passwd\": permission denied").kind()).isEqualTo(StartFailure.Kind.PERMISSION_DENIED);
        assertThat(FailureReport.parse("runtime - chdir to cwd (\"/etc/passwd\") set in config.json failed: not a "
                + "directory").kind()).isEqualTo(StartFailure.Kind.NOT_A_DIRECTORY);
        StartFailure other = FailureReport.parse("runtime - runc exited with status 1");
        assertThat(other.kind()).isEqualTo(StartFailure.Kind.OTHER);
        assertThat(other.stage()).isEqualTo("runtime");
    }

    @Test
    void textOfAnotherShapeIsKeptWhole() {
        StartFailure failure = FailureReport.parse("Segmentation fault");
        assertThat(failure).hasMessage("Segmentation fault");
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.OTHER);
    }
}
