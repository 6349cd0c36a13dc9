package io.berth.engine.build.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.build.dockerfile.CommandLine;
import io.berth.engine.build.dockerfile.HealthcheckConfig;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.build.dockerfile.JsonArrays;
import io.berth.engine.build.dockerfile.KeyValue;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The instructions that change only a stage's run configuration (ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME, CMD,
 * ENTRYPOINT, HEALTHCHECK, STOPSIGNAL, SHELL, ONBUILD, MAINTAINER, ARG), applied as the classic builder applies them,
 * variables substituted where dockerd substitutes them. Each returns the history line the step records
 * ({@code /bin/sh -c #(nop)  ENV A=1}).
 */
final class ConfigSteps {

    private ConfigSteps() {
    }

    /**
     * Applies {@code instruction} to {@code stage}; returns its history line.
     *
     * @param buildArgs the build's {@code --build-arg}s, for ARG
     * @param metaArgs  the values of the ARGs before the first FROM, which an ARG without a default takes
     */
    static String apply(Instruction instruction, BuildStage stage, Map<String, String> buildArgs,
            Map<String, String> metaArgs) {
        ObjectNode config = stage.config;
        if (instruction instanceof Instruction.Env env) {
            List<String> set = new ArrayList<>();
            for (KeyValue pair : env.variables()) {
                String value = stage.word(pair.value());
                stage.setEnv(pair.key(), value);
                set.add(pair.key() + "=" + value);
            }
            return nop("ENV " + String.join(" ", set));
        }
        if (instruction instanceof Instruction.Label label) {
            ObjectNode labels = config.get("Labels") instanceof ObjectNode existing ? existing
                    : config.putObject("Labels");
            List<String> set = new ArrayList<>();
            for (KeyValue pair : label.labels()) {
                String key = stage.word(pair.key());
                String value = stage.word(pair.value());
                labels.put(key, value);
                set.add(key + "=" + value);
            }
            return nop("LABEL " + String.join(" ", set));
        }
        if (instruction instanceof Instruction.Workdir workdir) {
            String path = stage.word(workdir.path());
            if (!path.startsWith("/")) {
                String current = config.path("WorkingDir").asString("");
                path = (current.isEmpty() ? "/" : current.endsWith("/") ? current : current + "/") + path;
            }
            config.put("WorkingDir", path);
            return "/bin/sh -c #(nop) WORKDIR " + path;
        }
        if (instruction instanceof Instruction.User user) {
            config.put("User", stage.word(user.user()));
            return nop("USER " + config.path("User").asString());
        }
        if (instruction instanceof Instruction.Expose expose) {
            ObjectNode ports = config.get("ExposedPorts") instanceof ObjectNode existing ? existing
                    : config.putObject("ExposedPorts");
            List<String> added = new ArrayList<>();
            for (String spec : expose.ports()) {
                for (String port : stage.words(spec)) {
                    String key = port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
                    ports.putObject(key);
                    added.add(key);
                }
            }
            return nop("EXPOSE " + String.join(" ", added));
        }
        if (instruction instanceof Instruction.Volume volume) {
            ObjectNode volumes = config.get("Volumes") instanceof ObjectNode existing ? existing
                    : config.putObject("Volumes");
            List<String> paths = new ArrayList<>();
            for (String path : volume.paths()) {
                String resolved = stage.word(path);
                if (resolved.isBlank()) {
                    throw invalid(instruction, "VOLUME specified can not be an empty string");
                }
                volumes.putObject(resolved);
                paths.add(resolved);
            }
            return nop("VOLUME " + JsonArrays.format(paths));
        }
        if (instruction instanceof Instruction.Cmd cmd) {
            config.set("Cmd", array(config, cmd.command().withShell(stage.shell())));
            return nop("CMD " + JsonArrays.format(cmd.command().withShell(stage.shell())));
        }
        if (instruction instanceof Instruction.Entrypoint entrypoint) {
            CommandLine command = entrypoint.command();
            boolean none = command.execForm() ? command.arguments().isEmpty()
                    : command.arguments().get(0).isBlank();
            if (none) {
                config.putNull("Entrypoint");
            } else {
                config.set("Entrypoint", array(config, command.withShell(stage.shell())));
            }
            config.putNull("Cmd"); // a CMD of the base image does not go with a new entrypoint
            return nop("ENTRYPOINT " + (none ? "[]" : JsonArrays.format(command.withShell(stage.shell()))));
        }
        if (instruction instanceof Instruction.Health health) {
            HealthcheckConfig check = health.healthcheck();
            ObjectNode healthcheck = config.putObject("Healthcheck");
            healthcheck.set("Test", array(config, check.test()));
            if (!check.interval().isZero()) {
                healthcheck.put("Interval", check.interval().toNanos());
            }
            if (!check.timeout().isZero()) {
                healthcheck.put("Timeout", check.timeout().toNanos());
            }
            if (!check.startPeriod().isZero()) {
                healthcheck.put("StartPeriod", check.startPeriod().toNanos());
            }
            if (!check.startInterval().isZero()) {
                healthcheck.put("StartInterval", check.startInterval().toNanos());
            }
            if (check.retries() > 0) {
                healthcheck.put("Retries", check.retries());
            }
            return nop("HEALTHCHECK &{" + JsonArrays.format(check.test()) + "}");
        }
        if (instruction instanceof Instruction.StopSignal signal) {
            config.put("StopSignal", stage.word(signal.signal()));
            return nop("STOPSIGNAL " + config.path("StopSignal").asString());
        }
        if (instruction instanceof Instruction.Shell shell) {
            config.set("Shell", array(config, shell.shell()));
            return nop("SHELL " + JsonArrays.format(shell.shell()));
        }
        if (instruction instanceof Instruction.OnBuild onBuild) {
            ArrayNode triggers = config.get("OnBuild") instanceof ArrayNode existing ? existing
                    : config.putArray("OnBuild");
            triggers.add(onBuild.expression());
            return nop("ONBUILD " + onBuild.expression());
        }
        if (instruction instanceof Instruction.Maintainer maintainer) {
        return nop("MAINTAINER " + maintainer.maintainer());
    }
        if (instruction instanceof Instruction.Arg arg) {
            List<String> declared = new ArrayList<>();
            for (KeyValue pair : arg.arguments()) {
                String value = pair.value() == null ? metaArgs.get(pair.key()) : stage.word(pair.value());
                if (buildArgs.containsKey(pair.key()) && buildArgs.get(pair.key()) != null) {
                    value = buildArgs.get(pair.key());
                }
                stage.args.put(pair.key(), value);
                declared.add(pair.value() == null ? pair.key() : pair.key() + "=" + pair.value());
            }
            return nop("ARG " + String.join(" ", declared));
        }
        throw new IllegalArgumentException("not a configuration step: " + instruction.keyword());
    }

    /** How the classic builder's history names a step that made no layer. */
    static String nop(String text) {
        return "/bin/sh -c #(nop)  " + text;
    }

    private static ArrayNode array(ObjectNode config, List<String> values) {
        ArrayNode array = config.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static BerthException invalid(Instruction instruction, String message) {
        return new BerthException(ErrorKind.INVALID, "Dockerfile line " + instruction.line() + ": " + message);
    }
}
