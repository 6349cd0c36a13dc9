package io.berth.hub.distribution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a {@code Range: bytes=...} request header resolved against a blob's size (RFC 9110, 14.1.2
 * and 14.2). A header the server may ignore is ignored, and the whole blob is answered: several ranges in one header,
 * another unit, a range whose last byte comes before its first (invalid, not unsatisfiable). A last byte past the end
 * and a suffix longer than the blob are clamped to the blob; a first byte at or past the end, or an empty suffix, is
 * unsatisfiable (416).
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
        ByteRange whole = new ByteRange(0, size, false);
        if (header == null || header.isBlank()) {
            return whole;
        }
        Matcher matcher = SINGLE.matcher(header.trim());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return whole;
        }
        if (matcher.group(1).isEmpty()) {
            long suffix = bound(matcher.group(2));
            if (suffix == 0 || size == 0) {
                throw new NotSatisfiable("range " + header + " selects none of the " + size + " bytes of the blob");
            }
            long length = Math.min(suffix, size);
            return new ByteRange(size - length, length, true);
        }
        long first = bound(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? Long.MAX_VALUE : bound(matcher.group(2));
        if (last < first) {
            return whole;
        }
        if (first >= size) {
            throw new NotSatisfiable("range " + header + " does not overlap the " + size + " bytes of the blob");
        }
        last = Math.min(last, size - 1);
        return new ByteRange(first, last - first + 1, true);
    }

    /** A position of the header; one beyond any blob's size stands for "past the end" rather than an error. */
    private static long bound(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
