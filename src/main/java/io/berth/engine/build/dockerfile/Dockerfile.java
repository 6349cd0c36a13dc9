package io.berth.engine.build.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * A parsed Dockerfile: the {@code ARG}s before the first {@code FROM} (they may be used in {@code FROM} lines only) and
 * the stages. Immutable.
 *
 * @param escape   the escape character ({@code \}, or {@code `} by {@code # escape=`})
 * @param syntax   the {@code # syntax=} directive, null when none; the classic builder reads and ignores it
 * @param warnings what dockerd would warn about, such as empty continuation lines
 */
public record Dockerfile(char escape, String syntax, List<Instruction.Arg> metaArgs, List<Stage> stages,
        List<String> warnings) {

    public Dockerfile {
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The number of instructions a build runs through, stage {@code FROM}s included: docker's "Step N/total". */
    public int steps(List<Stage> built) {
        return built.stream().mapToInt(stage -> 1 + stage.instructions().size()).sum();
    }

    /**
     * The stages a build with {@code --target} runs, in order, the target last: every stage up to it, as the classic
     * builder builds them. No target: all of them.
     */
    public List<Stage> stagesThrough(String target) {
        if (target == null || target.isEmpty()) {
            return stages;
        }
        String wanted = target.toLowerCase(Locale.ROOT);
        for (Stage stage : stages) {
            if (wanted.equals(stage.name())) {
                return stages.subList(0, stage.index() + 1);
            }
        }
        throw new BerthException(ErrorKind.INVALID, "failed to reach build target " + target + " in Dockerfile");
    }

    /**
     * The earlier stage {@code FROM} or {@code COPY --from} names, if it names one: a stage name, or (for
     * {@code COPY --from} only) a stage index. Anything else is an image.
     *
     * @param current the index of the stage that refers to it
     * @param byIndex whether an index may name a stage ({@code COPY --from=0}, not {@code FROM 0})
     * @throws BerthException when an index refers to this stage or a later one (a later stage's name is an image
     *         name here, as for dockerd)
     */
    public Optional<Stage> earlierStage(String reference, int current, boolean byIndex) {
        String wanted = reference.toLowerCase(Locale.ROOT);
        for (Stage stage : stages.subList(0, current)) {
            if (wanted.equals(stage.name())) {
                return Optional.of(stage);
            }
        }
        if (byIndex && reference.matches("\\d{1,9}")) {
            int index = Integer.parseInt(reference);
            if (index >= current) {
                throw new BerthException(ErrorKind.INVALID, "invalid from flag value " + reference
                        + ": refers to current or future build stage");
            }
            return Optional.of(stages.get(index));
        }
        return Optional.empty();
    }
}
