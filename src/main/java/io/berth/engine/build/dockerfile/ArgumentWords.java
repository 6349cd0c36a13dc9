package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the parser cuts an instruction's text into words before anything is substituted: builder flags
 * ({@code --from=build}) in front, quote-aware words for {@code ENV}, {@code LABEL} and {@code ARG} (quotes and escapes
 * are kept, the evaluation removes them), and plain whitespace splitting for {@code FROM}, {@code EXPOSE} and the
 * non-JSON forms of {@code COPY}, {@code ADD} and {@code VOLUME}.
 */
final class ArgumentWords {

    /** Go's regexp {@code [\t\v\f\r ]+}, what the Dockerfile parser splits on. */
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\u000b\\f\\r ]+");

    /** The flags in front of the arguments and the arguments' text after them (trimmed). */
    record Flagged(List<String> flags, String rest) {
    }

    private ArgumentWords() {
    }

    /** Splits the instruction keyword off the line: keyword and the rest (null when there is none). */
    static String[] command(String line) {
        String[] parts = WHITESPACE.split(line.strip(), 2);
        return parts.length == 2 ? parts : new String[] {parts[0], null};
    }

    static List<String> whitespaceSeparated(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of(WHITESPACE.split(text, -1));
    }

    /**
     * Reads the {@code --flag[=value]} words at the start; quotes and the escape character work inside them
     * ({@code --chown="a b"}), a lone {@code --} ends them. The first word that does not start with {@code --} starts
     * the arguments.
     */
    static Flagged flags(String line, char escape) {
        List<String> flags = new ArrayList<>();
        int pos = 0;
        int length = line.length();
        while (true) {
            while (pos < length && LogicalLines.isSpace(line.charAt(pos))) {
                pos++;
            }
            if (pos >= length) {
                return new Flagged(flags, "");
            }
            if (line.charAt(pos) != '-' || pos + 1 >= length || line.charAt(pos + 1) != '-') {
                return new Flagged(flags, line.substring(pos).strip());
            }
            StringBuilder word = new StringBuilder();
            boolean quotedEmptyOk = false;
            char quote = 0;
            while (pos < length) {
                char c = line.charAt(pos);
                if (quote == 0 && LogicalLines.isSpace(c)) {
                    break;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                    quotedEmptyOk = true;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == escape) {
                    if (pos + 1 < length) {
                        word.append(line.charAt(++pos));
                    }
                } else {
                    word.append(c);
                }
                pos++;
            }
            if (word.toString().equals("--")) {
                return new Flagged(flags, line.substring(pos).strip());
            }
            if (quotedEmptyOk || word.length() > 0) {
                flags.add(word.toString());
            }
        }
    }

    /**
     * Words separated by unquoted whitespace, with quotes and escapes left in them (the evaluation interprets them). A
     * quoted empty string is a word of its own ({@code ""}).
     */
    static List<String> quoted(String text, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        for (int pos = 0; pos < text.length(); pos++) {
            char c = text.charAt(pos);
            if (quote == 0) {
                if (LogicalLines.isSpace(c)) {
                    if (inWord && (blankOk || word.length() > 0)) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    inWord = false;
                    blankOk = false;
                    continue;
                }
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                    blankOk = true;
                } else if (c == escape) {
                    if (pos + 1 == text.length()) {
                        continue; // an escape at the very end is dropped
                    }
                    word.append(c);
                    c = text.charAt(++pos);
                }
                word.append(c);
            } else {
                if (c == quote) {
                    quote = 0;
                } else if (c == escape && quote != '\'') {
                    if (pos + 1 == text.length()) {
                        quote = 0;
                        continue;
                    }
                    word.append(c);
                    c = text.charAt(++pos);
                }
                word.append(c);
            }
        }
        if (inWord && (blankOk || word.length() > 0)) {
            words.add(word.toString());
        }
        return words;
    }
}
