package io.berth.hub.distribution;

import java.util.function.Predicate;

import org.springframework.stereotype.Component;

import io.berth.hub.access.RepositoryAccess;
import io.berth.hub.access.VisibleRepositories;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.token.VerifiedToken;

/**
 * What the caller behind a registry token may see beyond the repository the token is for: the catalog and a mount
 * without a source name range over every repository, so they ask the account's permissions, not the token's scopes.
 */
@Component
class RegistryCallers {

    private final Authenticator authenticator;
    private final RepositoryAccess access;

    RegistryCallers(Authenticator authenticator, RepositoryAccess access) {
        this.authenticator = authenticator;
        this.access = access;
    }

    VisibleRepositories visibleTo(VerifiedToken token) {
        return access.visibleTo(caller(token));
    }

    Predicate<String> readableBy(VerifiedToken token) {
        Caller caller = caller(token);
        return name -> access.canRead(caller, name);
    }

    private Caller caller(VerifiedToken token) {
        return authenticator.caller(token.subject());
    }
}
