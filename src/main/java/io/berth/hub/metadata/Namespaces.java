package io.berth.hub.metadata;

/**
 * Which namespace a repository belongs to: the first segment of its name ({@code alice} for {@code alice/app},
 * {@code acme} for {@code acme/team/api}); a single-segment name such as {@code busybox} lives in {@code library},
 * as on Docker Hub.
 */
public final class Namespaces {

    /** Where single-segment repository names live; only administrators write it. */
    public static final String LIBRARY = "library";

    private Namespaces() {
    }

    public static String of(String repositoryName) {
        int slash = repositoryName.indexOf('/');
        return slash < 0 ? LIBRARY : repositoryName.substring(0, slash);
    }
}
