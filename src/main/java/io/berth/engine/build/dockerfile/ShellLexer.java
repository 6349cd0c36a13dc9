package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Variable substitution and quote removal as the Dockerfile does them in {@code ADD}, {@code COPY}, {@code ENV},
 * {@code EXPOSE}, {@code FROM}, {@code LABEL}, {@code STOPSIGNAL}, {@code USER}, {@code VOLUME} and {@code WORKDIR}:
 * {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} / {@code ${NAME-default}} (unset or, with the colon, empty),
 * {@code ${NAME:+alternative}} / {@code ${NAME+alternative}}, {@code ${NAME:?message}} / {@code ${NAME?message}},
 * {@code ${NAME#pattern}}, {@code ##}, {@code %}, {@code %%} (shortest and longest prefix or suffix removed) and
 * {@code ${NAME/pattern/replacement}} ({@code //} for every match). Single quotes keep everything literal, double quotes
 * keep spaces and still substitute, the escape character ({@code \} or the one {@code # escape=} chose) makes the next
 * character literal. An unset variable is empty. Not a shell: no command substitution, no arithmetic.
 */
public final class ShellLexer {

    private static final int EOF = -1;

    private final char escape;

    public ShellLexer(char escape) {
        this.escape = escape;
    }

    /**
     * {@code word} with its variables substituted and its quotes removed, spaces kept.
     *
     * @param env the value of a variable, null when it is unset
     * @throws IllegalArgumentException for a syntax error or a {@code ${NAME?}} of an unset variable, worded for the
     *         Dockerfile's author
     */
    public String processWord(String word, Function<String, String> env) {
        return new Scan(word, env).run().text;
    }

    /** {@code word} substituted and split into words at unquoted whitespace (spaces a variable brings split too). */
    public List<String> processWords(String word, Function<String, String> env) {
        return new Scan(word, env).run().words;
    }

    private record Processed(String text, List<String> words) {
    }

    /** The words being collected: whitespace from outside quotes ends one. */
    private static final class Words {
        private final List<String> done = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private boolean inWord;

        void addChar(char c) {
            if (LogicalLines.isSpace(c)) {
                if (inWord && current.length() > 0) {
                    done.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                addRawChar(c);
            }
        }

        void addRawChar(char c) {
            current.append(c);
            inWord = true;
        }

        void addString(String text) {
            for (int i = 0; i < text.length(); i++) {
                addChar(text.charAt(i));
            }
        }

        void addRawString(String text) {
            current.append(text);
            inWord = true;
        }

        List<String> finish() {
            if (current.length() > 0) {
                done.add(current.toString());
                current.setLength(0);
            }
            return List.copyOf(done);
        }
    }

    private final class Scan {
        private final String source;
        private final Function<String, String> env;
        private int pos;

        Scan(String source, Function<String, String> env) {
            this.source = source;
            this.env = env;
        }

        Processed run() {
            try {
                return until(EOF, false);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed to process \"" + source + "\": " + e.getMessage(), e);
            }
        }

        private int peek() {
            return pos < source.length() ? source.charAt(pos) : EOF;
        }

        private int next() {
            return pos < source.length() ? source.charAt(pos++) : EOF;
        }

        /** Reads up to (and consumes) {@code stop}, or to the end when {@code stop} is EOF. */
        private Processed until(int stop, boolean rawEscapes) {
            StringBuilder result = new StringBuilder();
            Words words = new Words();
            while (peek() != EOF) {
                int c = peek();
                if (stop != EOF && c == stop) {
                    next();
                    return new Processed(result.toString(), words.finish());
                }
                if (c == '$') {
                    String value = dollar();
                    result.append(value);
                    words.addString(value);
                } else if (c == '\'') {
                    String value = singleQuoted();
                    result.append(value);
                    words.addRawString(value);
                } else if (c == '"') {
                    String value = doubleQuoted();
                    result.append(value);
                    words.addRawString(value);
                } else {
                    char ch = (char) next();
                    if (ch == escape) {
                        if (rawEscapes) {
                            words.addRawChar(ch);
                            result.append(ch);
                        }
                        int escaped = next();
                        if (escaped == EOF) {
                            break;
                        }
                        ch = (char) escaped;
                        words.addRawChar(ch);
                    } else {
                        words.addChar(ch);
                    }
                    result.append(ch);
                }
            }
            if (stop != EOF) {
                throw new IllegalArgumentException("unexpected end of statement while looking for matching "
                        + (char) stop);
            }
            return new Processed(result.toString(), words.finish());
        }

        private String singleQuoted() {
            next();
            StringBuilder text = new StringBuilder();
            while (true) {
                int c = next();
                if (c == EOF) {
                    throw new IllegalArgumentException(
                            "unexpected end of statement while looking for matching single-quote");
                }
                if (c == '\'') {
                    return text.toString();
                }
                text.append((char) c);
            }
        }

        /** Only {@code "}, {@code $} and the escape character itself can be escaped inside double quotes. */
        private String doubleQuoted() {
            next();
            StringBuilder text = new StringBuilder();
            while (true) {
                int c = peek();
                if (c == EOF) {
                    throw new IllegalArgumentException(
                            "unexpected end of statement while looking for matching double-quote");
                }
                if (c == '"') {
                    next();
                    return text.toString();
                }
                if (c == '$') {
                    text.append(dollar());
                    continue;
                }
                char ch = (char) next();
                if (ch == escape) {
                    int following = peek();
                    if (following == EOF) {
                        continue;
                    }
                    if (following == '"' || following == '$' || following == escape) {
                        ch = (char) next();
                    }
                }
                text.append(ch);
            }
        }

        private String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                return name.isEmpty() ? "$" : valueOrEmpty(name);
            }
            next();
            int first = peek();
            if (first == EOF) {
                throw new IllegalArgumentException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new IllegalArgumentException("syntax error: bad substitution");
            }
            String name = name();
            int modifier = next();
            if (modifier == EOF) {
                throw new IllegalArgumentException("syntax error: missing '}'");
            }
            if (modifier == '}') {
                return valueOrEmpty(name);
            }
            boolean nullIsUnset = false;
            String written = String.valueOf((char) modifier);
            if (modifier == ':') {
                nullIsUnset = true;
                modifier = next();
                if (modifier == EOF) {
                    throw new IllegalArgumentException("syntax error: missing '}'");
                }
                written += (char) modifier;
            }
            if (modifier == '/' && !nullIsUnset) {
                return replace(name);
            }
            if ("+-?#%".indexOf(modifier) < 0) {
                throw new IllegalArgumentException("unsupported modifier (" + written + ") in substitution");
            }
            boolean pattern = modifier == '#' || modifier == '%';
            if (nullIsUnset && pattern) {
                throw new IllegalArgumentException("unsupported modifier (" + written + ") in substitution");
            }
            String word = operand('}', pattern);
            String value = env.apply(name);
            boolean unset = value == null || (nullIsUnset && value.isEmpty());
            switch (modifier) {
                case '-':
                    return unset ? word : value;
                case '+':
                    return unset ? "" : word;
                case '?':
                    if (value == null) {
                        throw new IllegalArgumentException(name + ": "
                                + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    if (unset) {
                        throw new IllegalArgumentException(name + ": "
                                + (word.isEmpty() ? "is not allowed to be empty" : word));
                    }
                    return value;
                default:
                    boolean greedy = !word.isEmpty() && word.charAt(0) == modifier;
                    String glob = greedy ? word.substring(1) : word;
                    String subject = value == null ? "" : value;
                    return modifier == '#' ? trimPrefix(glob, subject, greedy) : trimSuffix(glob, subject, greedy);
            }
        }

        /** {@code ${NAME/pattern/replacement}}, {@code ${NAME//pattern/replacement}}. */
        private String replace(String name) {
            boolean all = peek() == '/';
            if (all) {
                next();
            }
            String glob = operand('/', true);
            String replacement = operand('}', true);
            String value = env.apply(name);
            if (value == null) {
                value = "";
            }
            Matcher matcher = globToRegex(glob, true, false).matcher(value);
            String literal = Matcher.quoteReplacement(replacement);
            return all ? matcher.replaceAll(literal) : matcher.replaceFirst(literal);
        }

        private String operand(int stop, boolean rawEscapes) {
            try {
                return until(stop, rawEscapes).text;
            } catch (IllegalArgumentException e) {
                if (peek() == EOF) {
                    throw new IllegalArgumentException(stop == '}' ? "syntax error: missing '}'"
                            : "syntax error: missing '/' in ${}");
                }
                throw e;
            }
        }

        private String valueOrEmpty(String name) {
            String value = env.apply(name);
            return value == null ? "" : value;
        }

        /** A name: letters, digits and {@code _}; or all digits ({@code $1}); or one special parameter. */
        private String name() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                char c = (char) peek();
                if (name.length() == 0 && Character.isDigit(c)) {
                    while (peek() != EOF && Character.isDigit((char) peek())) {
                        name.append((char) next());
                    }
                    return name.toString();
                }
                if (name.length() == 0 && "@*#?-$!0".indexOf(c) >= 0) {
                    next();
                    return String.valueOf(c);
                }
                if (!Character.isLetterOrDigit(c) && c != '_') {
                    break;
                }
                name.append((char) next());
            }
            return name.toString();
        }
    }

    private static String trimPrefix(String glob, String value, boolean greedy) {
        Matcher matcher = globToRegex(glob, greedy, true).matcher(value);
        return matcher.find() ? value.substring(matcher.end()) : value;
    }

    /** A regex cannot find the shortest match at the end: both strings are reversed and the prefix trimmed. */
    private static String trimSuffix(String glob, String value, boolean greedy) {
        String reversed = trimPrefix(reverseGlob(glob), new StringBuilder(value).reverse().toString(), greedy);
        return new StringBuilder(reversed).reverse().toString();
    }

    /** Reverses a pattern keeping each escape before the character it escapes. */
    private static String reverseGlob(String glob) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                tokens.add(glob.substring(i, i + 2));
                i++;
            } else {
                tokens.add(String.valueOf(c));
            }
        }
        StringBuilder reversed = new StringBuilder();
        for (int i = tokens.size() - 1; i >= 0; i--) {
            reversed.append(tokens.get(i));
        }
        return reversed.toString();
    }

    /** {@code *} any string (shortest unless greedy), {@code ?} one character, {@code \} escapes; no brackets. */
    private static Pattern globToRegex(String glob, boolean greedy, boolean anchored) {
        StringBuilder regex = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append(greedy ? ".*" : ".*?");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '\\') {
                if (i + 1 < glob.length() && (glob.charAt(i + 1) == '}' || glob.charAt(i + 1) == '/')) {
                    continue;
                }
                char escaped = i + 1 < glob.length() ? glob.charAt(++i) : '\\';
                if (escaped != '*' && escaped != '?' && escaped != '\\') {
                    throw new IllegalArgumentException("invalid pattern (" + glob + ") in substitution: invalid escape '\\"
                            + escaped + "'");
                }
                regex.append('\\').append(escaped);
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
