package io.berth.engine.build.dockerfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one logical line into an {@link Instruction}: the keyword (any case), its flags and its arguments in the form
 * each instruction takes (see the Dockerfile reference). Errors are {@link IllegalArgumentException}s with dockerd's
 * wording; the caller adds the line.
 */
final class InstructionParser {

    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");
    private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
    private static final Duration MINIMUM_INTERVAL = Duration.ofMillis(1);

    private final char escape;

    InstructionParser(char escape) {
        this.escape = escape;
    }

    Instruction parse(int line, String text) {
        String[] command = ArgumentWords.command(text);
        String keyword = command[0].toUpperCase(Locale.ROOT);
        ArgumentWords.Flagged flagged = command[1] == null ? new ArgumentWords.Flagged(List.of(), "")
                : ArgumentWords.flags(command[1], escape);
        List<String> flags = flagged.flags();
        String rest = flagged.rest();
        String source = text.strip();
        return switch (keyword) {
            case "FROM" -> from(line, source, flags, rest);
            case "RUN" -> {
                new InstructionFlags("RUN").buildKitOnly("mount", "network", "security", "device").parse(flags);
                CommandLine run = commandLine("RUN", rest, false);
                refuseHeredoc(run, rest);
                yield new Instruction.Run(line, source, run);
            }
            case "CMD" -> {
                new InstructionFlags("CMD").parse(flags);
                yield new Instruction.Cmd(line, source, commandLine("CMD", rest, false));
            }
            case "ENTRYPOINT" -> {
                new InstructionFlags("ENTRYPOINT").parse(flags);
                yield new Instruction.Entrypoint(line, source, commandLine("ENTRYPOINT", rest, true));
            }
            case "SHELL" -> {
                new InstructionFlags("SHELL").parse(flags);
                List<String> shell = JsonArrays.parse(rest);
                if (rest.isEmpty() || (shell != null && shell.isEmpty())) {
                    throw new IllegalArgumentException("SHELL requires at least one argument");
                }
                if (shell == null) {
                    throw new IllegalArgumentException("SHELL requires the arguments to be in JSON form");
                }
                yield new Instruction.Shell(line, source, shell);
            }
            case "COPY", "ADD" -> copy(line, source, keyword, flags, rest);
            case "ENV", "LABEL" -> {
                new InstructionFlags(keyword).parse(flags);
                List<KeyValue> pairs = nameValues(keyword, rest);
                yield keyword.equals("ENV") ? new Instruction.Env(line, source, pairs)
                        : new Instruction.Label(line, source, pairs);
            }
            case "ARG" -> {
                new InstructionFlags("ARG").parse(flags);
                yield new Instruction.Arg(line, source, arguments(rest));
            }
            case "WORKDIR" -> new Instruction.Workdir(line, source, single("WORKDIR", flags, rest));
            case "USER" -> new Instruction.User(line, source, single("USER", flags, rest));
            case "STOPSIGNAL" -> new Instruction.StopSignal(line, source, single("STOPSIGNAL", flags, rest));
            case "MAINTAINER" -> new Instruction.Maintainer(line, source, single("MAINTAINER", flags, rest));
            case "EXPOSE" -> {
                new InstructionFlags("EXPOSE").parse(flags);
                List<String> ports = new ArrayList<>(ArgumentWords.whitespaceSeparated(rest));
                if (ports.isEmpty()) {
                    throw atLeastOne("EXPOSE");
                }
                ports.sort(null); // as BuildKit's parser does: the history line lists them sorted
                yield new Instruction.Expose(line, source, ports);
            }
            case "VOLUME" -> {
                new InstructionFlags("VOLUME").parse(flags);
                List<String> paths = jsonOrWhitespace(rest);
                if (paths.isEmpty()) {
                    throw atLeastOne("VOLUME");
                }
                List<String> trimmed = new ArrayList<>();
                for (String path : paths) {
                    if (path.strip().isEmpty()) {
                        throw new IllegalArgumentException("VOLUME specified can not be an empty string");
                    }
                    trimmed.add(path.strip());
                }
                yield new Instruction.Volume(line, source, trimmed);
            }
            case "HEALTHCHECK" -> new Instruction.Health(line, source, healthcheck(flags, rest));
            case "ONBUILD" -> onBuild(line, source, flags, rest);
            default -> throw new IllegalArgumentException("unknown instruction: " + keyword);
        };
    }

    private Instruction from(int line, String source, List<String> flags, String rest) {
        InstructionFlags parsed = new InstructionFlags("FROM").string("platform").parse(flags);
        List<String> args = ArgumentWords.whitespaceSeparated(rest);
        String stageName = null;
        if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
            stageName = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(stageName).matches()) {
                throw new IllegalArgumentException("invalid name for build stage: \"" + args.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        } else if (args.size() != 1) {
            throw new IllegalArgumentException("FROM requires either one or three arguments");
        }
        return new Instruction.From(line, source, args.get(0), stageName, parsed.value("platform"));
    }

    private Instruction copy(int line, String source, String keyword, List<String> flags, String rest) {
        InstructionFlags parsed = new InstructionFlags(keyword).string("chown").string("chmod").bool("link");
        if (keyword.equals("COPY")) {
            parsed.string("from").buildKitOnly("exclude", "parents");
        } else {
            parsed.buildKitOnly("checksum", "keep-git-dir", "unpack", "exclude");
        }
        parsed.parse(flags);
        List<String> args = jsonOrWhitespace(rest);
        if (args.size() < 2) {
            throw new IllegalArgumentException(keyword + " requires at least two arguments, but only one was "
                    + "provided. Destination could not be determined");
        }
        if (JsonArrays.parse(rest) == null) {
            for (String arg : args) {
                Matcher matcher = HEREDOC.matcher(arg);
                if (matcher.matches() && !matcher.group(3).isEmpty()) {
                    throw heredoc(keyword, arg);
                }
            }
        }
        return new Instruction.Copy(line, source, keyword.equals("ADD"), args.subList(0, args.size() - 1),
                args.get(args.size() - 1), parsed.value("from"), parsed.value("chown"), parsed.value("chmod"),
                parsed.isTrue("link"));
    }

    private Instruction onBuild(int line, String source, List<String> flags, String rest) {
        if (rest.isEmpty()) {
            throw atLeastOne("ONBUILD");
        }
        new InstructionFlags("ONBUILD").parse(flags);
        String trigger = ArgumentWords.command(rest)[0].toUpperCase(Locale.ROOT);
        switch (trigger) {
            case "ONBUILD" -> throw new IllegalArgumentException(
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" -> throw new IllegalArgumentException(
                    trigger + " isn't allowed as an ONBUILD trigger");
            default -> {
            }
        }
        Instruction parsedTrigger = parse(line, rest);
        String expression = ONBUILD_PREFIX.matcher(source).replaceFirst("");
        return new Instruction.OnBuild(line, source, expression, parsedTrigger);
    }

    private HealthcheckConfig healthcheck(List<String> flags, String rest) {
        if (rest.isEmpty()) {
            throw atLeastOne("HEALTHCHECK");
        }
        int end = 0;
        while (end < rest.length() && !LogicalLines.isSpace(rest.charAt(end))) {
            end++;
        }
        String type = rest.substring(0, end).toUpperCase(Locale.ROOT);
        String command = rest.substring(end).strip();
        if (type.equals("NONE")) {
            if (!command.isEmpty()) {
                throw new IllegalArgumentException("HEALTHCHECK NONE takes no arguments");
            }
            return new HealthcheckConfig(List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                    0);
        }
        InstructionFlags parsed = new InstructionFlags("HEALTHCHECK").string("interval").string("timeout")
                .string("start-period").string("start-interval").string("retries").parse(flags);
        if (!type.equals("CMD")) {
            throw new IllegalArgumentException("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        List<String> exec = JsonArrays.parse(command);
        List<String> test = new ArrayList<>();
        if (exec != null) {
            if (exec.isEmpty()) {
                throw new IllegalArgumentException("Missing command after HEALTHCHECK CMD");
            }
            test.add("CMD");
            test.addAll(exec);
        } else {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("Missing command after HEALTHCHECK CMD");
            }
            test.add("CMD-SHELL");
            test.add(command);
        }
        int retries = 0;
        String retriesValue = parsed.value("retries");
        if (retriesValue != null) {
            try {
                retries = Integer.parseInt(retriesValue);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strconv.ParseInt: parsing \"" + retriesValue
                        + "\": invalid syntax");
            }
            if (retries < 0) {
                throw new IllegalArgumentException("--retries cannot be negative (" + retries + ")");
            }
        }
        return new HealthcheckConfig(test, interval(parsed, "interval"), interval(parsed, "timeout"),
                interval(parsed, "start-period"), interval(parsed, "start-interval"), retries);
    }

    private static Duration interval(InstructionFlags flags, String name) {
        String value = flags.value(name);
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration duration = GoDuration.parse(value);
        if (!duration.isZero() && duration.compareTo(MINIMUM_INTERVAL) < 0) {
            throw new IllegalArgumentException("Interval \"" + name + "\" cannot be less than 1ms");
        }
        return duration;
    }

    /**
     * The exec form when {@code rest} is a JSON array of strings, else the shell form. An empty ENTRYPOINT is an empty
     * exec form (it clears the entrypoint).
     */
    private static CommandLine commandLine(String keyword, String rest, boolean emptyClears) {
        if (rest.isEmpty()) {
            if (emptyClears) {
                return CommandLine.exec(List.of());
            }
            throw atLeastOne(keyword);
        }
        List<String> exec = JsonArrays.parse(rest);
        return exec != null ? CommandLine.exec(exec) : CommandLine.shell(rest);
    }

    private static List<String> jsonOrWhitespace(String rest) {
        List<String> exec = JsonArrays.parse(rest);
        return exec != null ? exec : ArgumentWords.whitespaceSeparated(rest);
    }

    private List<KeyValue> nameValues(String keyword, String rest) {
        List<String> words = ArgumentWords.quoted(rest, escape);
        if (words.isEmpty()) {
            throw atLeastOne(keyword);
        }
        List<KeyValue> pairs = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = rest.split("[\\t\\u000b\\f\\r ]+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(keyword + " must have two arguments");
            }
            pairs.add(new KeyValue(parts[0], parts[1]));
            return pairs;
        }
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Syntax error - can't find = in \"" + word
                        + "\". Must be of the form: name=value");
            }
            if (equals == 0) {
                throw new IllegalArgumentException(keyword + " names can not be blank");
            }
            pairs.add(new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
        }
        return pairs;
    }

    private List<KeyValue> arguments(String rest) {
        List<String> words = ArgumentWords.quoted(rest, escape);
        if (words.isEmpty()) {
            throw atLeastOne("ARG");
        }
        List<KeyValue> arguments = new ArrayList<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals == 0) {
                throw new IllegalArgumentException("ARG names can not be blank");
            }
            arguments.add(equals < 0 ? new KeyValue(word, null)
                    : new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
        }
        return arguments;
    }

    private static String single(String keyword, List<String> flags, String rest) {
        new InstructionFlags(keyword).parse(flags);
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(keyword + " requires exactly one argument");
        }
        return rest;
    }

    /**
     * BuildKit reads {@code <<EOF} in RUN, COPY and ADD as a here-document; the classic builder does not. Rather than
     * run the lines of the document as instructions, the build stops and says why.
     */
    private void refuseHeredoc(CommandLine command, String rest) {
        if (command.execForm() || !rest.contains("<<")) {
            return;
        }
        List<String> words = ArgumentWords.quoted(rest, escape);
        for (int i = 0; i < words.size(); i++) {
            Matcher matcher = HEREDOC.matcher(words.get(i));
            if (!matcher.matches()) {
                continue;
            }
            if (!matcher.group(3).isEmpty()) {
                throw heredoc("RUN", words.get(i));
            }
            if (i + 1 < words.size()) {
                throw heredoc("RUN", words.get(i) + " " + words.get(i + 1));
            }
        }
    }

    private static IllegalArgumentException heredoc(String keyword, String word) {
        return new IllegalArgumentException("here-documents (" + keyword + " ... " + word + ") are a BuildKit feature; "
                + "this Engine builds with the classic builder, which does not support them: put the content in a "
                + "file of the build context and COPY it");
    }

    private static IllegalArgumentException atLeastOne(String keyword) {
        return new IllegalArgumentException(keyword + " requires at least one argument");
    }
}
