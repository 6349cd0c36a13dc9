package io.berth.hub.distribution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a {@code Range: bytes=...} request header resolved against a blob's size (RFC 9110).
 * Several ranges in one header are answered with the whole blob, which the RFC allows.
 */
record ByteRange(long start, long length, boolean partial) {

    private static final Pattern SINGLE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    /** Thrown for a range that lies outside the blob. */
    static final class NotSatisfiable extends RuntimeException {
        NotSatisfiable(String message) {
            super(message);
        }
    }

    static ByteRange of(String header, long size) {
        if (header == null || header.isBlank()) {
            return new ByteRange(0, size, false);
        }
        Matcher matcher = SINGLE.matcher(header.trim());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return new ByteRange(0, size, false); // not a single byte range we understand: ignore it, as the RFC allows
        }
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                if (suffix == 0 || size == 0) {
                    throw new NotSatisfiable("empty suffix range");
                }
                long length = Math.min(suffix, size);
                return new ByteRange(size - length, length, true);
            }
            long first = Long.parseLong(matcher.group(1));
            long last = matcher.group(2).isEmpty() ? size - 1 : Long.parseLong(matcher.group(2));
            if (first >= size || last < first) {
                throw new NotSatisfiable("range " + header + " does not overlap the " + size + " bytes of the blob");
            }
            last = Math.min(last, size - 1);
            return new ByteRange(first, last - first + 1, true);
        } catch (NumberFormatException e) {
            throw new NotSatisfiable("range bound too large: " + header);
        }
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
