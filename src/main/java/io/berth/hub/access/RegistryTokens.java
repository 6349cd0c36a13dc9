package io.berth.hub.access;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.token.Access;
import io.berth.hub.access.token.Grant;
import io.berth.hub.access.token.Scope;
import io.berth.hub.access.token.TokenIssuer;
import io.berth.hub.access.token.TokenResponse;

/**
 * Issues registry tokens: the intersection of the scopes asked for and what the caller may do, never an error for
 * asking too much, and a refresh token when the client wants to stay signed in.
 */
@Service
public class RegistryTokens {

    private final TokenIssuer issuer;
    private final RepositoryAccess access;
    private final AccessTokenService accessTokens;

    RegistryTokens(TokenIssuer issuer, RepositoryAccess access, AccessTokenService accessTokens) {
        this.issuer = issuer;
        this.access = access;
        this.accessTokens = accessTokens;
    }

    /**
     * A token for the caller.
     *
     * @param offline  whether to add a refresh token (only for a signed-in caller)
     * @param clientId the client's name, recorded with the refresh token
     */
    public IssuedToken issue(Caller caller, List<Scope> scopes, boolean offline, String clientId) {
        List<Access> granted = Grant.intersect(scopes, access.policy(caller));
        TokenResponse response = issuer.issue(caller.username(), granted);
        if (offline && !caller.anonymous()) {
            String refreshToken = accessTokens.issueRefreshToken(caller, clientId);
            response = new TokenResponse(response.token(), response.accessToken(), response.expiresIn(),
                    response.issuedAt(), refreshToken);
        }
        return new IssuedToken(response, granted.stream()
                .filter(entry -> !entry.actions().isEmpty())
                .map(entry -> entry.type() + ":" + entry.name() + ":" + String.join(",", entry.actions()))
                .collect(Collectors.joining(" ")));
    }

    /**
     * @param response     the token, as the GET endpoint answers it
     * @param grantedScope the granted scopes, space-separated, as the OAuth2 endpoint reports them
     */
    public record IssuedToken(TokenResponse response, String grantedScope) {
    }
}
