package io.berth.hub.distribution;

import java.util.Map;
import java.util.regex.Pattern;

/** Tag syntax from the Distribution Spec: up to 128 characters, starting with a word character. */
final class TagName {

    static final int MAX_LENGTH = 128;
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private TagName() {
    }

    static boolean isValid(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    static String require(String tag) {
        if (!isValid(tag)) {
            throw new RegistryException(RegistryError.TAG_INVALID, "invalid tag: " + tag, Map.of("Tag", String.valueOf(tag)));
        }
        return tag;
    }
}
