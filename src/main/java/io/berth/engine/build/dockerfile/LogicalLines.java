package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into logical lines, as BuildKit's parser (which dockerd's classic builder uses too) reads it:
 * parser directives at the top ({@code # escape=`} changes the escape character, {@code # syntax=} is read and
 * ignored), comments dropped, an escape character at the end of a line continues the instruction on the next one
 * (comment lines and empty lines inside an instruction are skipped; the empty ones are remembered because Docker warns
 * about them), and leading whitespace of a line ignored.
 */
final class LogicalLines {

    /** One instruction's text with the lines it spans, counted from 1. */
    record Line(int start, int end, String text, boolean emptyContinuation) {
    }

    /** What was read: the escape character in force, the syntax directive (null when none) and the lines. */
    record Result(char escape, String syntax, List<Line> lines) {
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*\\z");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");

    private char escape = '\\';
    private Pattern continuation = continuationPattern('\\');
    private String syntax;
    private boolean directivesDone;
    private final Set<String> directivesSeen = new HashSet<>();

    private LogicalLines() {
    }

    static Result read(String content) {
        LogicalLines reader = new LogicalLines();
        List<Line> lines = reader.split(content);
        return new Result(reader.escape, reader.syntax, lines);
    }

    private List<Line> split(String content) {
        List<String> physical = physicalLines(content.startsWith("\uFEFF") ? content.substring(1) : content);
        List<Line> logical = new ArrayList<>();
        int index = 0;
        int current = 0;
        while (index < physical.size()) {
            String raw = physical.get(index++);
            String line = process(raw, true, current + 1);
            current++;
            int start = current;
            String[] trimmed = new String[1];
            boolean ends = trimContinuation(line, trimmed);
            if (ends && trimmed[0].isEmpty()) {
                continue;
            }
            StringBuilder text = new StringBuilder(trimmed[0]);
            boolean emptyContinuation = false;
            while (!ends && index < physical.size()) {
                String next = physical.get(index++);
                String processed = process(next, false, current + 1);
                current++;
                if (isComment(next)) {
                    continue;
                }
                if (processed.strip().isEmpty()) {
                    emptyContinuation = true;
                    continue;
                }
                ends = trimContinuation(processed, trimmed);
                text.append(trimmed[0]);
            }
            logical.add(new Line(start, current, text.toString(), emptyContinuation));
        }
        return logical;
    }

    /** The lines with their terminators removed; a final line without one counts, an empty remainder does not. */
    private static List<String> physicalLines(String content) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < content.length()) {
            int newline = content.indexOf('\n', from);
            int end = newline < 0 ? content.length() : newline;
            lines.add(content.substring(from, end));
            from = end + 1;
        }
        return lines;
    }

    /** Trailing CR/LF off, leading whitespace off (top-level lines), directives read, comments emptied. */
    private String process(String raw, boolean stripLeading, int lineNumber) {
        String line = trimTrailingNewline(raw);
        if (stripLeading) {
            line = stripLeadingSpace(line);
        }
        directive(line, lineNumber);
        return isComment(line) ? "" : line;
    }

    private void directive(String line, int lineNumber) {
        if (directivesDone) {
            return;
        }
        if (!line.startsWith("#")) {
            directivesDone = true;
            return;
        }
        Matcher matcher = DIRECTIVE.matcher(stripLeadingSpace(line.substring(1)));
        String name = matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
        if (name == null || !DIRECTIVES.contains(name)) {
            directivesDone = true;
            return;
        }
        if (!directivesSeen.add(name)) {
            throw new DockerfileParseException(lineNumber, "only one " + name + " parser directive can be used");
        }
        String value = matcher.group(2);
        if (name.equals("escape")) {
            if (!value.equals("`") && !value.equals("\\")) {
                throw new DockerfileParseException(lineNumber,
                        "invalid escape token '" + value + "' does not match ` or \\");
            }
            escape = value.charAt(0);
            continuation = continuationPattern(escape);
        } else if (name.equals("syntax")) {
            syntax = value;
        }
    }

    /**
     * Whether the line ends the instruction; {@code out[0]} is the line without its continuation character. The escape
     * character continues the line when it is the last one (trailing blanks aside) and not preceded by another escape
     * character, or when it stands alone on the line.
     */
    private boolean trimContinuation(String line, String[] out) {
        Matcher matcher = continuation.matcher(line);
        if (matcher.find()) {
            String kept = matcher.group(1) == null ? "" : matcher.group(1);
            out[0] = line.substring(0, matcher.start()) + kept;
            return false;
        }
        out[0] = line;
        return true;
    }

    private static Pattern continuationPattern(char escape) {
        String token = escape == '\\' ? "\\\\" : String.valueOf(escape);
        return Pattern.compile("([^" + token + "])" + token + "[ \\t]*\\z|^" + token + "[ \\t]*\\z");
    }

    static boolean isComment(String line) {
        return stripLeadingSpace(line).startsWith("#");
    }

    private static String trimTrailingNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }

    static String stripLeadingSpace(String line) {
        int start = 0;
        while (start < line.length() && isSpace(line.charAt(start))) {
            start++;
        }
        return line.substring(start);
    }

    /** Go's unicode.IsSpace for the characters a Dockerfile may hold. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085'
                || c == '\u00a0' || Character.isSpaceChar(c);
    }
}
