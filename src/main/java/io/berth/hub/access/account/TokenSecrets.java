package io.berth.hub.access.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets of access and refresh tokens: 256 random bits behind a prefix that says what they are (so that secret
 * scanners and people recognise a leaked one), stored as their SHA-256. A hash of so much randomness cannot be
 * reversed or guessed, so unlike a password it needs no slow, salted hash, and can be looked up directly.
 */
final class TokenSecrets {

    static final String PERSONAL_PREFIX = "berth_pat_";
    static final String REFRESH_PREFIX = "berth_rt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static boolean looksLike(String prefix, String secret) {
        return secret != null && secret.startsWith(prefix) && secret.length() < 200;
    }
}
