package io.berth.engine.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API version ({@code 1.44}) as it appears in a {@code /v1.44/} path prefix. The Engine speaks
 * {@link #MIN} to {@link #MAX}: 1.24 is what old clients still send, 1.44 the floor of Docker 29 and Testcontainers 2.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    public static final ApiVersion MIN = new ApiVersion(1, 24);
    public static final ApiVersion MAX = new ApiVersion(1, 47);

    private static final Pattern PREFIX = Pattern.compile("^/v(\\d{1,4})\\.(\\d{1,4})(?=/|$)");

    /** The version of a {@code /vX.Y} prefix of {@code path}, or null when the path has none. */
    static ApiVersion ofPrefix(String path) {
        Matcher matcher = PREFIX.matcher(path);
        if (!matcher.find()) {
            return null;
        }
        return new ApiVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** {@code path} without its {@code /vX.Y} prefix ({@code /v1.44/_ping} → {@code /_ping}). */
    static String stripPrefix(String path) {
        Matcher matcher = PREFIX.matcher(path);
        return matcher.find() ? path.substring(matcher.end()) : path;
    }

    /** Null when this version is spoken; otherwise the error dockerd gives, word for word. */
    String unsupportedReason() {
        if (compareTo(MAX) > 0) {
            return "client version " + this + " is too new. Maximum supported API version is " + MAX;
        }
        if (compareTo(MIN) < 0) {
            return "client version " + this + " is too old. Minimum supported API version is " + MIN
                    + ", please upgrade your client to a newer version";
        }
        return null;
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
