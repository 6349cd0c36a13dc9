package io.berth.engine.build.context;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Go's {@code path/filepath} rules that the Dockerfile and {@code .dockerignore} follow: {@code Clean}, and
 * {@code Match} with its pattern syntax ({@code *} any run of non-slash characters, {@code ?} one, {@code [a-z]} and
 * {@code [^...]} classes, {@code \} escaping the next character), malformed patterns being errors.
 */
public final class GoPaths {

    private GoPaths() {
    }

    /** {@code filepath.Clean}: no doubled or trailing slashes, no {@code .}, {@code ..} resolved lexically. */
    public static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /**
     * {@code filepath.Match(pattern, name)}.
     *
     * @throws IllegalArgumentException for a malformed pattern ({@code filepath.ErrBadPattern})
     */
    public static boolean match(String pattern, String name) {
        validate(pattern);
        return match(pattern, 0, name, 0);
    }

    /** Throws for a malformed pattern even where matching would not reach the bad part, as Go does. */
    public static void validate(String pattern) {
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 >= pattern.length()) {
                    throw badPattern(pattern);
                }
                i += 2;
            } else if (c == '[') {
                i = classEnd(pattern, i);
            } else {
                i++;
            }
        }
    }

    private static boolean match(String pattern, int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                while (p < pattern.length() && pattern.charAt(p) == '*') {
                    p++;
                }
                if (p == pattern.length()) {
                    return name.indexOf('/', n) < 0;
                }
                for (int k = n; k <= name.length(); k++) {
                    if (match(pattern, p, name, k)) {
                        return true;
                    }
                    if (k < name.length() && name.charAt(k) == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (n >= name.length()) {
                return false;
            }
            char actual = name.charAt(n);
            if (c == '?') {
                if (actual == '/') {
                    return false;
                }
                p++;
            } else if (c == '[') {
                int end = classEnd(pattern, p);
                if (actual == '/' || !inClass(pattern, p + 1, end - 1, actual)) {
                    return false;
                }
                p = end;
            } else if (c == '\\') {
                if (pattern.charAt(p + 1) != actual) {
                    return false;
                }
                p += 2;
            } else {
                if (c != actual) {
                    return false;
                }
                p++;
            }
            n++;
        }
        return n == name.length();
    }

    /** The index after the {@code ]} closing the class that starts at {@code start}. */
    static int classEnd(String pattern, int start) {
        int i = start + 1;
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            i++;
        }
        boolean first = true;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == ']' && !first) {
                return i + 1;
            }
            if (c == '-' && first) {
                throw badPattern(pattern);
            }
            first = false;
            i = classCharEnd(pattern, i);
            if (i < pattern.length() && pattern.charAt(i) == '-') {
                if (i + 1 >= pattern.length() || pattern.charAt(i + 1) == ']') {
                    throw badPattern(pattern);
                }
                i = classCharEnd(pattern, i + 1);
            }
        }
        throw badPattern(pattern);
    }

    private static int classCharEnd(String pattern, int i) {
        char c = pattern.charAt(i);
        if (c == '\\') {
            if (i + 1 >= pattern.length()) {
                throw badPattern(pattern);
            }
            return i + 2;
        }
        if (c == '[' || c == '/') {
            // Go refuses neither '[' nor '/' inside a class as such; '/' can simply never match
            return i + 1;
        }
        return i + 1;
    }

    /** Whether {@code c} is in the class between {@code from} (after '[') and {@code to} (the ']'). */
    private static boolean inClass(String pattern, int from, int to, char c) {
        int i = from;
        boolean negated = i < to && pattern.charAt(i) == '^';
        if (negated) {
            i++;
        }
        boolean matched = false;
        while (i < to) {
            char low = pattern.charAt(i);
            if (low == '\\') {
                low = pattern.charAt(++i);
            }
            i++;
            char high = low;
            if (i < to && pattern.charAt(i) == '-') {
                high = pattern.charAt(++i);
                if (high == '\\') {
                    high = pattern.charAt(++i);
                }
                i++;
            }
            if (low <= c && c <= high) {
                matched = true;
            }
        }
        return matched != negated;
    }

    private static IllegalArgumentException badPattern(String pattern) {
        return new IllegalArgumentException("syntax error in pattern: " + pattern);
    }
}
