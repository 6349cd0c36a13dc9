package io.berth.hub.distribution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of a chunk upload: {@code <start>-<end>}, inclusive, as the Distribution Spec writes it
 * (a leading {@code bytes } and a trailing {@code /total} are tolerated).
 */
record ContentRange(long start, long end) {

    private static final Pattern FORMAT = Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?$");

    static ContentRange parse(String header) {
        Matcher matcher = FORMAT.matcher(header.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        long start = Long.parseLong(matcher.group(1));
        long end = Long.parseLong(matcher.group(2));
        if (end < start) {
            throw new IllegalArgumentException("Content-Range ends before it starts: " + header);
        }
        return new ContentRange(start, end);
    }

    long length() {
        return end - start + 1;
    }
}
