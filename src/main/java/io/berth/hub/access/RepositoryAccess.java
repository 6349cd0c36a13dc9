package io.berth.hub.access;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.access.token.AccessPolicy;
import io.berth.hub.metadata.Namespaces;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryEntity;
import io.berth.hub.metadata.Visibility;

/**
 * The permission decisions on repositories. A caller's role on a repository is its role in the repository's
 * namespace (its own, an organisation it owns or is on a team of, or everything for an administrator), raised to
 * {@code read} when the repository exists and is public.
 *
 * <p>That makes a private repository indistinguishable from a missing one for anyone without a role in its
 * namespace: both give {@link RepositoryRole#NONE}, so a token grants the same (nothing) for both, and every answer
 * that follows from the token is the same too.
 */
@Service
public class RepositoryAccess {

    private static final String CATALOG_TYPE = "registry";
    private static final String CATALOG_NAME = "catalog";
    private static final String REPOSITORY_TYPE = "repository";

    private final Repositories repositories;

    RepositoryAccess(Repositories repositories) {
        this.repositories = repositories;
    }

    @Transactional(readOnly = true)
    public RepositoryRole role(Caller caller, String repositoryName) {
        RepositoryRole role = caller.roleIn(Namespaces.of(repositoryName));
        if (role.includes(RepositoryRole.READ)) {
            return role;
        }
        boolean isPublic = repositories.findByName(repositoryName)
                .map(RepositoryEntity::getVisibility)
                .filter(visibility -> visibility == Visibility.PUBLIC)
                .isPresent();
        return isPublic ? RepositoryRole.READ : role;
    }

    /** What the caller may read and write, as the token endpoint asks it. */
    public AccessPolicy policy(Caller caller) {
        return (type, name) -> allowedActions(caller, type, name);
    }

    /**
     * The actions allowed on a resource. Everyone may list the catalog: it lists only what the lister may see. On a
     * repository, the caller's role gives the actions, and the credential it signed in with may allow fewer.
     */
    public Set<String> allowedActions(Caller caller, String type, String name) {
        if (CATALOG_TYPE.equals(type) && CATALOG_NAME.equals(name)) {
            return Set.of("*");
        }
        if (!REPOSITORY_TYPE.equals(type)) {
            return Set.of();
        }
        return caller.limit(role(caller, name).actions());
    }

    public boolean canRead(Caller caller, String repositoryName) {
        return role(caller, repositoryName).includes(RepositoryRole.READ);
    }

    /** Which repositories the caller may see, as a filter a listing query can apply. */
    public VisibleRepositories visibleTo(Caller caller) {
        if (caller.administrator()) {
            return VisibleRepositories.ALL;
        }
        return new VisibleRepositories(false, caller.namespaceRoles().entrySet().stream()
                .filter(entry -> entry.getValue().includes(RepositoryRole.READ))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet()));
    }
}
