package io.berth.hub.web.account;

import java.time.Instant;
import java.util.List;

import io.berth.hub.access.account.CreatedToken;

/**
 * A personal access token just created, with its secret: the only time the secret is shown.
 *
 * @param token the secret ({@code berth_pat_...}), to send as a bearer token or as the password of basic credentials
 */
record NewAccessToken(long id, String name, List<String> scopes, Instant createdAt, Instant expiresAt,
                             String token) {

    static NewAccessToken of(CreatedToken created) {
        return new NewAccessToken(created.token().getId(), created.token().getName(),
                AccessToken.scopeNames(created.token()), created.token().getCreatedAt(), created.token().getExpiresAt(),
                created.secret());
    }
}
