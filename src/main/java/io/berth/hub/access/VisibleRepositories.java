package io.berth.hub.access;

import java.util.Set;

import io.berth.hub.metadata.Visibility;

/**
 * Which repositories a caller may see: every public one, and every one in the listed namespaces; or simply all.
 *
 * @param all        whether the caller sees everything (an administrator)
 * @param namespaces namespaces whose private repositories the caller sees too
 */
public record VisibleRepositories(boolean all, Set<String> namespaces) {

    public static final VisibleRepositories ALL = new VisibleRepositories(true, Set.of());

    public VisibleRepositories {
        namespaces = Set.copyOf(namespaces);
    }

    public boolean includes(String namespace, Visibility visibility) {
        return all || visibility == Visibility.PUBLIC || namespaces.contains(namespace);
    }
}
