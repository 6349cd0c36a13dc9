package io.berth.hub.web.repository;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import io.berth.hub.access.caller.Caller;

/**
 * The repositories of one namespace that a viewer may see, for pages of other features (an organisation's page lists
 * its repositories). It asks the same search as {@code GET /api/v1/repositories?namespace=}, so a private repository
 * is left out for whoever may not read it, here as there.
 */
@Component
public class NamespaceRepositories {

    private final RepositoryManagement repositories;

    NamespaceRepositories(RepositoryManagement repositories) {
        this.repositories = repositories;
    }

    /**
     * A repository as a listing shows it.
     *
     * @param name       the full name, {@code namespace/name}
     * @param visibility {@code public} or {@code private}
     */
    public record Listed(String name, String visibility, String description, long starCount, long pullCount,
                         Instant updatedAt) {
    }

    /**
     * The listing's first page, by name.
     *
     * @param count how many the viewer may see in all, which may be more than the page holds
     */
    public record Listing(long count, List<Listed> repositories) {
    }

    public Listing visibleIn(Caller caller, String namespace) {
        RepositoryPage page = repositories.search(caller,
                new RepositoryQuery(null, namespace, RepositoryQuery.Order.NAME, 1, Paging.MAX_SIZE));
        return new Listing(page.count(), page.results().stream()
                .map(found -> new Listed(found.name(), found.visibility(), found.description(), found.starCount(),
                        found.pullCount(), found.updatedAt()))
                .toList());
    }
}
