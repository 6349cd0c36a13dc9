package io.berth.hub.web.account;

import java.time.Instant;
import java.util.List;

import io.berth.hub.access.account.AccessTokenEntity;
import io.berth.hub.access.caller.AccessTokenScope;

/** A personal access token as its owner sees it later: everything but the secret, which was shown once. */
record AccessToken(long id, String name, List<String> scopes, Instant createdAt, Instant expiresAt,
                          Instant lastUsedAt, Instant revokedAt) {

    static AccessToken of(AccessTokenEntity token) {
        return new AccessToken(token.getId(), token.getName(), scopeNames(token), token.getCreatedAt(),
                token.getExpiresAt(), token.getLastUsedAt(), token.getRevokedAt());
    }

    static List<String> scopeNames(AccessTokenEntity token) {
        return token.getScopes().stream().map(AccessTokenScope::wireName).sorted().toList();
    }
}
