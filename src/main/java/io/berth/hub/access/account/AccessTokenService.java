package io.berth.hub.access.account;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;

/**
 * Personal access tokens (named, scoped, optionally expiring, revocable, shown once) and the refresh tokens that
 * {@code docker login} keeps instead of a password.
 */
@Service
public class AccessTokenService {

    private static final int MAX_NAME_LENGTH = 100;

    private final AccessTokenRows tokens;
    private final Clock clock;

    AccessTokenService(AccessTokenRows tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * Creates a personal access token for the caller's own account. A token cannot make tokens: a leaked one must not
     * be able to outlive its revocation by minting another.
     */
    @Transactional
    public CreatedToken create(Caller caller, String name, Set<AccessTokenScope> scopes, Instant expiresAt) {
        requirePasswordSession(caller);
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw HubException.invalid("a token needs a name of at most " + MAX_NAME_LENGTH + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw HubException.invalid("a token needs at least one scope: read, write or delete");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw HubException.invalid("a token's expiry must be in the future");
        }
        String secret = TokenSecrets.newSecret(TokenSecrets.PERSONAL_PREFIX);
        AccessTokenEntity token = tokens.save(new AccessTokenEntity(caller.accountId(), AccessTokenEntity.Kind.PERSONAL,
                name.strip(), TokenSecrets.hash(secret), EnumSet.copyOf(scopes), null, null, now, expiresAt));
        return new CreatedToken(token, secret);
    }

    @Transactional(readOnly = true)
    public List<AccessTokenEntity> list(Caller caller) {
        requireSignedIn(caller);
        return tokens.findByAccountIdAndKindOrderByCreatedAtDesc(caller.accountId(), AccessTokenEntity.Kind.PERSONAL);
    }

    /**
     * Revokes one of the caller's tokens (an administrator may revoke anyone's), and the logins made with it; like
     * creating one, this takes the password, not a token.
     */
    @Transactional
    public AccessTokenEntity revoke(Caller caller, long tokenId) {
        requirePasswordSession(caller);
        AccessTokenEntity token = tokens.findById(tokenId)
                .filter(found -> found.getAccountId().equals(caller.accountId()) || caller.administrator())
                .orElseThrow(() -> HubException.notFound("no such token: " + tokenId));
        Instant now = clock.instant();
        token.revoke(now);
        tokens.revokeChildren(token.getId(), now);
        return token;
    }

    /**
     * A refresh token for a caller that just signed in, as the OAuth2 endpoint returns for {@code access_type=offline}
     * and GET requests with {@code offline_token=true}. It can do what the credential that got it can: all of the
     * account's rights for a password, the token's scopes for a personal access token, and it dies with that token.
     * One from the password is bound to the credentials version the password was checked under, and ends with the
     * next password change.
     */
    @Transactional
    public String issueRefreshToken(Caller caller, String clientId) {
        requireSignedIn(caller);
        Set<AccessTokenScope> scopes = Set.of(AccessTokenScope.values());
        Long parent = caller.credentialId();
        if (parent != null) {
            scopes = tokens.findById(parent).map(AccessTokenEntity::getScopes).orElse(scopes);
        }
        String secret = TokenSecrets.newSecret(TokenSecrets.REFRESH_PREFIX);
        String name = clientId == null || clientId.isBlank() ? "login" : "login by " + clientId;
        tokens.save(new AccessTokenEntity(caller.accountId(), AccessTokenEntity.Kind.REFRESH,
                name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name,
                TokenSecrets.hash(secret), scopes, parent, parent == null ? caller.credentialsVersion() : null,
                clock.instant(), null));
        return secret;
    }

    private static void requirePasswordSession(Caller caller) {
        requireSignedIn(caller);
        if (caller.credentialId() != null) {
            // A leaked token must neither outlive its revocation by minting another nor revoke its owner's others.
            throw HubException.forbidden("access tokens cannot create or revoke access tokens; sign in with the password");
        }
    }

    private static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new HubException(ErrorKind.UNAUTHORIZED, "sign in first");
        }
    }
}
