package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * Parses a Dockerfile of the classic syntax (what {@code docker build} without BuildKit accepts) into a
 * {@link Dockerfile}. Errors name the line as dockerd's do: {@code dockerfile parse error on line 3: unknown
 * instruction: RUNN}.
 */
public final class DockerfileParser {

    private DockerfileParser() {
    }

    /** @param name the Dockerfile's name in the build context, for the message about an empty file */
    public static Dockerfile parse(String content, String name) {
        LogicalLines.Result read = LogicalLines.read(content);
        InstructionParser parser = new InstructionParser(read.escape());
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Instruction.From from = null;
        List<Instruction> instructions = new ArrayList<>();
        for (LogicalLines.Line line : read.lines()) {
            Instruction instruction;
            try {
                instruction = parser.parse(line.start(), line.text());
            } catch (IllegalArgumentException e) {
                throw new DockerfileParseException(line.start(), e.getMessage());
            }
            if (line.emptyContinuation()) {
                warnings.add("Empty continuation line found in: " + line.text());
            }
            if (instruction instanceof Instruction.From next) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from.stageName(), from, instructions));
                }
                if (next.stageName() != null && !names.add(next.stageName())) {
                    throw new DockerfileParseException(line.start(), "duplicate stage name \"" + next.stageName()
                            + "\"");
                }
                from = next;
                instructions = new ArrayList<>();
            } else if (from == null) {
                if (!(instruction instanceof Instruction.Arg arg)) {
                    throw new DockerfileParseException(line.start(), "no build stage in current context");
                }
                metaArgs.add(arg);
            } else {
                instructions.add(instruction);
            }
        }
        if (from == null) {
            if (read.lines().isEmpty()) {
                throw new BerthException(ErrorKind.INVALID, "the Dockerfile (" + name + ") cannot be empty");
            }
            throw new DockerfileParseException(read.lines().get(read.lines().size() - 1).start(),
                    "no build stage in current context: a Dockerfile needs a FROM");
        }
        stages.add(new Stage(stages.size(), from.stageName(), from, instructions));
        return new Dockerfile(read.escape(), read.syntax(), metaArgs, stages, warnings);
    }
}
