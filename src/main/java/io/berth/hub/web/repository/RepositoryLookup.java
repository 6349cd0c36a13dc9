package io.berth.hub.web.repository;

import org.springframework.stereotype.Component;

import io.berth.hub.HubException;
import io.berth.hub.access.RepositoryAccess;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryEntity;
import io.berth.hub.web.CallerChecks;

/**
 * Finds the repository a request names, as the caller may see it. Private means private: a repository the caller
 * may not read gets exactly the answer a repository that was never created gets, whatever the request.
 */
@Component
class RepositoryLookup {

    private final RepositoryAccess access;
    private final Repositories repositories;

    RepositoryLookup(RepositoryAccess access, Repositories repositories) {
        this.access = access;
        this.repositories = repositories;
    }

    /** A repository and the caller's role on it, at least {@code read}. */
    record Seen(RepositoryEntity repository, RepositoryRole role) {

        /**
         * @throws HubException when the role falls short: 401 for an anonymous caller, whom signing in may help, 403
         *                      for anyone else; the caller sees the repository, so may know that it exists
         */
        Seen requireRole(Caller caller, RepositoryRole needed, String toDoWhat) {
            if (role.includes(needed)) {
                return this;
            }
            CallerChecks.requireSignedIn(caller);
            throw HubException.forbidden(toDoWhat + " " + repository.getName() + " needs the " + needed.wireName()
                    + " role; yours is " + role.wireName());
        }
    }

    /** @throws HubException 404, the same for a missing repository and for one the caller may not read */
    Seen visible(Caller caller, String name) {
        RepositoryRole role = access.role(caller, name);
        if (!role.includes(RepositoryRole.READ)) {
            throw notFound(name);
        }
        RepositoryEntity repository = repositories.findByName(name).orElseThrow(() -> notFound(name));
        return new Seen(repository, role);
    }

    static HubException notFound(String name) {
        return HubException.notFound("repository not found: " + name);
    }
}
