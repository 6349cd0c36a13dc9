package io.berth.engine.runtime.berthinit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.berth.engine.runtime.StartFailure;

/**
 * berth-init's report of a failure, {@code <stage> <errno name or -> <message>} (see src/main/c/berth-init.h), as a
 * {@link StartFailure}. berth-init's own failures name their errno; those of a delegated runtime (stage
 * {@code runtime}) come as runc's or crun's words, whose errno {@link OciCli#errnoOf} finds.
 */
final class FailureReport {

    private static final Pattern REPORT = Pattern.compile("([a-z][a-z-]*) (E[A-Z0-9]+|-) (.*)", Pattern.DOTALL);

    private FailureReport() {
    }

    /** The failure a report describes; text of another shape is a failure of no known stage or errno. */
    static StartFailure parse(String report) {
        Matcher m = REPORT.matcher(report.strip());
        if (!m.matches()) {
            return new StartFailure("unknown", null, report.strip());
        }
        String stage = m.group(1), message = m.group(3);
        String errno = m.group(2).equals("-") ? null : m.group(2);
        if (errno == null && stage.equals("runtime")) {
            errno = OciCli.errnoOf(message);
        }
        return new StartFailure(stage, errno, message);
    }
}
