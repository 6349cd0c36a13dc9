package io.berth.common;

import java.util.HexFormat;

/**
 * A content digest such as {@code sha256:e3b0...}. Only algorithms Berth can verify are accepted, and the
 * hex part must be lower case and of the algorithm's exact length, so a parsed digest is always safe to
 * use as a file name.
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {

    public Digest {
        if (algorithm == null || hex == null || hex.length() != algorithm.hexLength() || !isLowerHex(hex)) {
            throw new InvalidDigestException(algorithm == null ? String.valueOf(hex) : algorithm.prefix() + ":" + hex);
        }
    }

    /** Parses {@code algorithm:hex}; throws {@link InvalidDigestException} for anything else. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new InvalidDigestException("null");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new InvalidDigestException(value);
        }
        DigestAlgorithm algorithm = DigestAlgorithm.fromPrefix(value.substring(0, colon))
                .orElseThrow(() -> new InvalidDigestException(value));
        return new Digest(algorithm, value.substring(colon + 1));
    }

    /** Whether the string looks like a digest of any algorithm (used to tell digests from tags). */
    public static boolean looksLikeDigest(String reference) {
        return reference.indexOf(':') > 0;
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        return fromBytes(algorithm, algorithm.newMessageDigest().digest(content));
    }

    public static Digest sha256(byte[] content) {
        return of(DigestAlgorithm.SHA256, content);
    }

    public static Digest fromBytes(DigestAlgorithm algorithm, byte[] digestBytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(digestBytes));
    }

    @Override
    public String toString() {
        return algorithm.prefix() + ":" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
