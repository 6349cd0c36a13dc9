package io.berth.engine.build.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.engine.build.dockerfile.ShellLexer;
import io.berth.engine.image.ImageChanges;
import io.berth.engine.image.ImageRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stage as the build goes through it: the image so far (null while a {@code FROM scratch} stage has no step yet),
 * its run configuration, the {@code ARG}s declared in it with their values, and its {@code SHELL}.
 */
final class BuildStage {

    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    ImageRecord image;
    final ObjectNode config;
    /** Declared ARGs, in order; a null value: declared without a value. */
    final Map<String, String> args = new LinkedHashMap<>();
    private final ShellLexer lexer;

    BuildStage(ImageRecord image, ObjectNode config, ShellLexer lexer) {
        this.image = image;
        this.config = config;
        this.lexer = lexer;
    }

    /** The stage's shell: its config's {@code Shell}, else {@code /bin/sh -c}. */
    List<String> shell() {
        List<String> shell = strings(config.get("Shell"));
        return shell.isEmpty() ? DEFAULT_SHELL : shell;
    }

    /** The environment variable {@code name} set by ENV (or the base image), else the ARG, else null. */
    String variable(String name) {
        String env = env(name);
        return env != null ? env : args.get(name);
    }

    String env(String name) {
        for (JsonNode entry : config.path("Env")) {
            String text = entry.asString();
            if (text.startsWith(name + "=")) {
                return text.substring(name.length() + 1);
            }
        }
        return null;
    }

    void setEnv(String name, String value) {
        ImageChanges.setEnv(config, name, value);
    }

    /** The environment of a RUN: the config's, then the ARGs with a value that no ENV overrides. */
    List<String> runEnvironment() {
        List<String> env = new ArrayList<>(strings(config.get("Env")));
        args.forEach((name, value) -> {
            if (value != null && env(name) == null) {
                env.add(name + "=" + value);
            }
        });
        return env;
    }

    /** The ARGs with values, as dockerd prefixes them to a RUN's history line: {@code |2 A=1 B=2 }. */
    String argsPrefix() {
        List<String> set = new ArrayList<>();
        args.forEach((name, value) -> {
            if (value != null) {
                set.add(name + "=" + value);
            }
        });
        return set.isEmpty() ? "" : "|" + set.size() + " " + String.join(" ", set) + " ";
    }

    /** {@code word} with the stage's variables substituted. */
    String word(String word) {
        return lexer.processWord(word, this::variable);
    }

    List<String> words(String words) {
        return lexer.processWords(words, this::variable);
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(value -> values.add(value.asString()));
        }
        return values;
    }
}
