package io.berth.engine.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Dockerfile instructions {@code docker import --change} applies to a new image's config, as dockerd's
 * {@code BuildFromConfig} does: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL. Arguments
 * follow the Dockerfile rules: JSON or shell form for CMD/ENTRYPOINT/VOLUME, quotes and backslash escapes, and
 * {@code $VAR}/{@code ${VAR}} expanded from the environment set so far.
 */
public final class ImageChanges {

    private final JsonMapper json;
    private final ObjectNode config;
    /** ENTRYPOINT clears a CMD the image had, unless a CMD was set by these changes (Dockerfile semantics). */
    private boolean cmdSet;

    private ImageChanges(JsonMapper json, ObjectNode config) {
        this.json = json;
        this.config = config;
    }

    /**
     * Applies {@code changes} in order to {@code config} (the image config's {@code config} object).
     *
     * @throws BerthException ({@link ErrorKind#INVALID}) for a change dockerd would refuse
     */
    public static void apply(JsonMapper json, ObjectNode config, List<String> changes) {
        ImageChanges applier = new ImageChanges(json, config);
        for (String change : changes) {
            applier.apply(change);
        }
    }

    private void apply(String change) {
        String line = change.strip();
        if (line.isEmpty()) {
            return;
        }
        int space = indexOfWhitespace(line);
        String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space).strip();
        switch (instruction) {
            case "CMD" -> {
                config.set("Cmd", command(args));
                cmdSet = true;
            }
            case "ENTRYPOINT" -> {
                config.set("Entrypoint", command(args));
                if (!cmdSet) {
                    config.putNull("Cmd");
                }
            }
            case "ENV" -> pairs(instruction, args).forEach((key, value) -> setEnv(config, key, value));
            case "LABEL" -> {
                ObjectNode labels = object("Labels");
                pairs(instruction, args).forEach(labels::put);
            }
            case "EXPOSE" -> {
                ObjectNode ports = object("ExposedPorts");
                for (String port : words(args, instruction)) {
                    expose(ports, port);
                }
            }
            case "USER" -> config.put("User", single(instruction, args));
            case "WORKDIR" -> {
                String dir = single(instruction, args);
                if (!dir.startsWith("/")) {
                    String current = config.path("WorkingDir").asString("");
                    dir = (current.isEmpty() ? "/" : current.endsWith("/") ? current : current + "/") + dir;
                }
                config.put("WorkingDir", dir);
            }
            case "VOLUME" -> {
                ObjectNode volumes = object("Volumes");
                List<String> paths = args.startsWith("[") ? jsonArray(args, instruction) : words(args, instruction);
                if (paths.isEmpty()) {
                    throw invalid("VOLUME requires at least one argument");
                }
                paths.forEach(volumes::putObject);
            }
            case "STOPSIGNAL" -> config.put("StopSignal", single(instruction, args));
            default -> throw invalid(instruction + " is not a valid change command");
        }
    }

    /** Exec form (a JSON array of strings) as it is; shell form runs under {@code /bin/sh -c}. */
    private ArrayNode command(String args) {
        ArrayNode command = config.arrayNode();
        if (args.startsWith("[")) {
            List<String> exec = tryJsonArray(args);
            if (exec != null) {
                exec.forEach(command::add);
                return command;
            }
        }
        command.add("/bin/sh").add("-c").add(args);
        return command;
    }

    /** Sets variable {@code key} in a config's {@code Env}, where it was if it was there. */
    public static void setEnv(ObjectNode config, String key, String value) {
        ArrayNode env = config.get("Env") instanceof ArrayNode existing ? existing : config.putArray("Env");
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i).asString();
            if (entry.equals(key) || entry.startsWith(key + "=")) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }

    private String env(String key) {
        for (JsonNode entry : config.path("Env")) {
            String text = entry.asString();
            if (text.startsWith(key + "=")) {
                return text.substring(key.length() + 1);
            }
        }
        return "";
    }

    private ObjectNode object(String field) {
        return config.get(field) instanceof ObjectNode existing ? existing : config.putObject(field);
    }

    /** {@code key=value ...} (quotes allowed), or the legacy {@code key value with spaces} of ENV and LABEL. */
    private Map<String, String> pairs(String instruction, String args) {
        Map<String, String> pairs = new java.util.LinkedHashMap<>();
        int space = indexOfWhitespace(args);
        String first = space < 0 ? args : args.substring(0, space);
        if (!first.contains("=")) {
            if (space < 0) {
                throw invalid(instruction + " names " + (args.isEmpty() ? "nothing" : args)
                        + " but no value: use " + instruction + " key=value");
            }
            pairs.put(first, String.join(" ", words(args.substring(space).strip(), instruction)));
            return pairs;
        }
        for (String word : words(args, instruction)) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw invalid(instruction + " names " + word + " but no value: use " + instruction + " key=value");
            }
            pairs.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return pairs;
    }

    private String single(String instruction, String args) {
        List<String> words = words(args, instruction);
        if (words.size() != 1) {
            throw invalid(instruction + " requires exactly one argument");
        }
        return words.get(0);
    }

    /** {@code 80}, {@code 53/udp}, {@code 8000-8002/tcp}: each port as {@code <n>/<proto>}. */
    private static void expose(ObjectNode ports, String spec) {
        String[] parts = spec.split("/", 2);
        String proto = parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : "tcp";
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw invalid("invalid proto: " + proto);
        }
        String[] range = parts[0].split("-", 2);
        try {
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (from < 0 || to > 65535 || from > to) {
                throw invalid("invalid range: " + parts[0]);
            }
            for (int port = from; port <= to; port++) {
                ports.putObject(port + "/" + proto);
            }
        } catch (NumberFormatException e) {
            throw invalid("invalid containerPort: " + parts[0]);
        }
    }

    /**
     * Splits at unquoted whitespace and resolves each word as the Dockerfile shell lexer does: double quotes keep
     * spaces and expand variables, single quotes keep everything, a backslash escapes the next character.
     */
    private List<String> words(String args, String instruction) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < args.length()) {
            char c = args.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = args.indexOf('\'', i + 1);
                if (end < 0) {
                    throw invalid(instruction + ": unexpected end of statement while looking for matching '");
                }
                word.append(args, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= args.length()) {
                        throw invalid(instruction + ": unexpected end of statement while looking for matching \"");
                    }
                    char d = args.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < args.length()) {
                        word.append(args.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = expand(args, i, word);
                    } else {
                        word.append(d);
                        i++;
                    }
                }
            } else if (c == '\\' && i + 1 < args.length()) {
                word.append(args.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = expand(args, i, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the value of {@code $NAME} or {@code ${NAME}} at {@code i}; returns the index after it. */
    private int expand(String args, int i, StringBuilder out) {
        int start = i + 1;
        if (start < args.length() && args.charAt(start) == '{') {
            int end = args.indexOf('}', start);
            if (end < 0) {
                throw invalid("missing '}' in " + args);
            }
            out.append(env(args.substring(start + 1, end)));
            return end + 1;
        }
        int end = start;
        while (end < args.length() && (Character.isLetterOrDigit(args.charAt(end)) || args.charAt(end) == '_')) {
            end++;
        }
        if (end == start) {
            out.append('$');
            return start;
        }
        out.append(env(args.substring(start, end)));
        return end;
    }

    private List<String> jsonArray(String args, String instruction) {
        List<String> values = tryJsonArray(args);
        if (values == null) {
            throw invalid(instruction + ": not a JSON array of strings: " + args);
        }
        return values;
    }

    private List<String> tryJsonArray(String args) {
        try {
            JsonNode node = json.readTree(args);
            if (!node.isArray()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isString()) {
                    return null;
                }
                values.add(item.asString());
            }
            return values;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }
}
