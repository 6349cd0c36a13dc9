package io.berth.engine.build.dockerfile;

import java.util.List;
import java.util.Locale;

/**
 * One instruction of a Dockerfile, as parsed: arguments as written (variables are substituted when the build evaluates
 * the instruction, with the values of that moment; see {@link ShellLexer}).
 *
 * <p>Every instruction knows its {@link #line} (the first line of it, for error messages) and its {@link #source}: the
 * logical line as read, continuations joined and comments removed.
 */
public sealed interface Instruction {

    int line();

    String source();

    /** The instruction's name in capitals: {@code RUN}, {@code COPY}, ... */
    default String keyword() {
        String name = getClass().getSimpleName().toUpperCase(Locale.ROOT);
        return name.equals("HEALTH") ? "HEALTHCHECK" : name;
    }

    /**
     * {@code FROM [--platform=p] image [AS name]}.
     *
     * @param stageName lower-cased, null when the stage has none
     * @param platform  null when not given
     */
    record From(int line, String source, String image, String stageName, String platform) implements Instruction {
    }

    record Run(int line, String source, CommandLine command) implements Instruction {
    }

    record Cmd(int line, String source, CommandLine command) implements Instruction {
    }

    /** An empty {@code ENTRYPOINT} (or {@code ENTRYPOINT []}) clears the image's entrypoint. */
    record Entrypoint(int line, String source, CommandLine command) implements Instruction {
    }

    /** {@code SHELL ["executable", "parameters"]}: JSON form only. */
    record Shell(int line, String source, List<String> shell) implements Instruction {

        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /**
     * {@code COPY} and {@code ADD}.
     *
     * @param add   ADD (local tar archives are extracted) rather than COPY
     * @param from  {@code --from}: a stage name, a stage index or an image; null when not given
     * @param chown {@code --chown=user[:group]}, null when not given
     * @param chmod {@code --chmod=mode}, null when not given
     * @param link  {@code --link}: accepted and has no effect here (the classic builder's layer is the same)
     */
    record Copy(int line, String source, boolean add, List<String> sources, String destination, String from,
            String chown, String chmod, boolean link) implements Instruction {

        public Copy {
            sources = List.copyOf(sources);
        }

        @Override
        public String keyword() {
            return add ? "ADD" : "COPY";
        }
    }

    /** @param variables {@code ENV a=1 b=2}, or the legacy {@code ENV a 1} as one pair */
    record Env(int line, String source, List<KeyValue> variables) implements Instruction {

        public Env {
            variables = List.copyOf(variables);
        }
    }

    record Arg(int line, String source, List<KeyValue> arguments) implements Instruction {

        public Arg {
            arguments = List.copyOf(arguments);
        }
    }

    record Workdir(int line, String source, String path) implements Instruction {
    }

    record User(int line, String source, String user) implements Instruction {
    }

    record Expose(int line, String source, List<String> ports) implements Instruction {

        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Volume(int line, String source, List<String> paths) implements Instruction {

        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record Label(int line, String source, List<KeyValue> labels) implements Instruction {

        public Label {
            labels = List.copyOf(labels);
        }
    }

    record StopSignal(int line, String source, String signal) implements Instruction {
    }

    /** {@code HEALTHCHECK [options] CMD command} or {@code HEALTHCHECK NONE}. */
    record Health(int line, String source, HealthcheckConfig healthcheck) implements Instruction {
    }

    /**
     * {@code ONBUILD instruction}: stored in the image for builds that start {@code FROM} it.
     *
     * @param expression the trigger as written after {@code ONBUILD}, what the image config keeps
     * @param trigger    the same, parsed (validated now, run by a later build)
     */
    record OnBuild(int line, String source, String expression, Instruction trigger) implements Instruction {
    }

    record Maintainer(int line, String source, String maintainer) implements Instruction {
    }
}
