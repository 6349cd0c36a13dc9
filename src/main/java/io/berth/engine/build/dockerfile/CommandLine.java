package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The command of {@code RUN}, {@code CMD}, {@code ENTRYPOINT} or {@code HEALTHCHECK CMD}: the exec form (a JSON array,
 * run as it is) or the shell form (one string, run by the stage's {@code SHELL}, {@code /bin/sh -c} by default).
 *
 * @param arguments the array of the exec form; for the shell form one element, the command as written (line
 *                  continuations removed, nothing substituted: the shell does that)
 */
public record CommandLine(List<String> arguments, boolean execForm) {

    public CommandLine {
        arguments = List.copyOf(arguments);
    }

    public static CommandLine exec(List<String> arguments) {
        return new CommandLine(arguments, true);
    }

    public static CommandLine shell(String command) {
        return new CommandLine(List.of(command), false);
    }

    /** What a container runs: the exec form as it is, the shell form after {@code shell}. */
    public List<String> withShell(List<String> shell) {
        if (execForm) {
            return arguments;
        }
        List<String> command = new ArrayList<>(shell);
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /** As written in the Dockerfile: the shell form's text, or the exec form as a JSON array. */
    @Override
    public String toString() {
        return execForm ? JsonArrays.format(arguments) : arguments.get(0);
    }
}
