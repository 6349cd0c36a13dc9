package io.berth.engine.build.context;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file with Docker's rules (moby's patternmatcher): one pattern a line, {@code #} lines are
 * comments, blanks around a pattern are dropped, each pattern is cleaned as a path and a leading {@code /} removed (the
 * context root is {@code /}); {@code *}, {@code ?} and classes as in Go's {@code filepath.Match}, plus {@code **} for
 * any number of directories (none included); {@code !} makes an exception. The last pattern that matches a path decides;
 * a pattern that matches a directory matches everything below it.
 */
public final class DockerIgnore {

    /** Ignores nothing. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    private record Rule(String pattern, boolean exception, Kind kind, Pattern regex) {

        boolean matches(String path) {
            return switch (kind) {
                case EXACT -> path.equals(pattern);
                case PREFIX -> path.startsWith(pattern.substring(0, pattern.length() - 2));
                case SUFFIX -> {
                    String suffix = pattern.substring(2);
                    yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
                }
                case REGEX -> regex.matcher(path).matches();
            };
        }
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** @throws IllegalArgumentException for a malformed pattern, naming it */
    public static DockerIgnore parse(String content) {
        List<Rule> rules = new ArrayList<>();
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.charAt(0) == '!';
            if (exception) {
                pattern = pattern.substring(1).strip();
            }
            if (!pattern.isEmpty()) {
                pattern = GoPaths.clean(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            }
            if (exception && pattern.isEmpty()) {
                throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
            }
            GoPaths.validate(pattern);
            rules.add(compile(pattern, exception));
        }
        return new DockerIgnore(rules);
    }

    /** Whether any pattern is an exception: an excluded directory may then still hold included paths. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code path} (relative to the context root, {@code /}-separated) is left out of the context. */
    public boolean excludes(String path) {
        String file = GoPaths.clean(path);
        if (file.equals(".")) {
            return false; // the context root itself is never left out
        }
        String[] parents = parentDirectories(file);
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.exception() != excluded) {
                continue; // an exception only matters once excluded, an exclusion only while included
            }
            boolean match = rule.matches(file);
            for (int i = 0; !match && i < parents.length; i++) {
                match = rule.matches(parents[i]);
            }
            if (match) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** {@code a/b/c} has the parents {@code a} and {@code a/b}. */
    private static String[] parentDirectories(String file) {
        List<String> parents = new ArrayList<>();
        for (int slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
            parents.add(file.substring(0, slash));
        }
        return parents.toArray(String[]::new);
    }

    /** How a pattern matches, as patternmatcher decides it from the pattern's shape. */
    private enum Kind { EXACT, PREFIX, SUFFIX, REGEX }

    /**
     * Compiles a cleaned pattern. Plain names match exactly; a final {@code **} makes a prefix ({@code foo/**}), a
     * leading {@code **} without other wildcards a suffix ({@code **.go}, {@code **}{@code /foo} also matching
     * {@code foo}); anything else becomes a regular expression over the whole path: {@code **} (with the slash after
     * it) any number of directories, a final {@code **} everything, {@code *} and {@code ?} within one name.
     */
    private static Rule compile(String pattern, boolean exception) {
        StringBuilder regex = new StringBuilder("^");
        Kind kind = Kind.EXACT;
        int i = 0;
        for (int step = 0; i < pattern.length(); step++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                i += 2;
                if (i < pattern.length() && pattern.charAt(i) == '/') {
                    i++;
                }
                if (i == pattern.length()) {
                    if (kind == Kind.EXACT) {
                        kind = Kind.PREFIX;
                    } else {
                        regex.append(".*");
                        kind = Kind.REGEX;
                    }
                } else {
                    regex.append("(.*/)?");
                    kind = Kind.REGEX;
                }
                if (step == 0) {
                    kind = Kind.SUFFIX;
                }
                continue;
            }
            if (c == '*') {
                regex.append("[^/]*");
                kind = Kind.REGEX;
            } else if (c == '?') {
                regex.append("[^/]");
                kind = Kind.REGEX;
            } else if (c == '\\') {
                if (i + 1 < pattern.length()) {
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    kind = Kind.REGEX;
                } else {
                    regex.append("\\\\");
                }
            } else if (c == '[') {
                int end = GoPaths.classEnd(pattern, i);
                String body = pattern.substring(i + 1, end - 1);
                regex.append('[').append(body.startsWith("^") ? "^" + classBody(body.substring(1)) : classBody(body))
                        .append(']');
                kind = Kind.REGEX;
                i = end;
                continue;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new Rule(pattern, exception, kind, kind == Kind.REGEX
                ? Pattern.compile(regex.append('$').toString(), Pattern.DOTALL) : null);
    }

    /** A Go class body as a Java one: escapes kept, Java's own specials ({@code [ & ^}) quoted. */
    private static String classBody(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                out.append('\\').append(body.charAt(++i));
            } else if (c == '[' || c == '&' || c == '^' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
