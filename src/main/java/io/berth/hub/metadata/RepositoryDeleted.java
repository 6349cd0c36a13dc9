package io.berth.hub.metadata;

/**
 * Published when a repository's row is deleted, so that what remembers repositories by name forgets this one.
 *
 * @param name the repository's name
 */
public record RepositoryDeleted(String name) {
}
