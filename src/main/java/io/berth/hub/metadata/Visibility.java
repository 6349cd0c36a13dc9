package io.berth.hub.metadata;

import java.util.Locale;

/** Who may see a repository: everyone, or only those with a role in its namespace. */
public enum Visibility {

    PUBLIC, PRIVATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code public} or {@code private} */
    public static Visibility of(String value) {
        if ("public".equalsIgnoreCase(value)) {
            return PUBLIC;
        }
        if ("private".equalsIgnoreCase(value)) {
            return PRIVATE;
        }
        throw new IllegalArgumentException("visibility is public or private, not " + value);
    }
}
