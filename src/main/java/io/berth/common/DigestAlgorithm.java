package io.berth.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The digest algorithms the OCI image spec registers, with the length of their hex encoding. */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String prefix;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String prefix, String jcaName, int hexLength) {
        this.prefix = prefix;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    public String prefix() {
        return prefix;
    }

    public int hexLength() {
        return hexLength;
    }

    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA provider lacks " + jcaName, e);
        }
    }

    public static Optional<DigestAlgorithm> fromPrefix(String prefix) {
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.prefix.equals(prefix)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
