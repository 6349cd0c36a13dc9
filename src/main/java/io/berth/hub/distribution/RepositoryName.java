package io.berth.hub.distribution;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated repository name such as {@code library/busybox}: path components of lower-case letters and digits
 * joined by separators, as the Distribution Spec defines them.
 */
public record RepositoryName(String value) {

    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (!isValid(value)) {
            throw new RegistryException(RegistryError.NAME_INVALID, "invalid repository name",
                    Map.of("name", String.valueOf(value)));
        }
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && NAME.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
