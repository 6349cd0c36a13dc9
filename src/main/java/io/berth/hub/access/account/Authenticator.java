package io.berth.hub.access.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;

/**
 * Turns credentials into a {@link Caller}: a username with its password or one of its personal access tokens, a
 * refresh token, or the name in a registry token that was verified elsewhere.
 */
@Service
public class Authenticator {

    /** A token's last use is written at most this often: a pull or push uses it many times a minute. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final Accounts accounts;
    private final AccessTokenRows tokens;
    private final Memberships memberships;
    private final PasswordEncoder passwords;
    private final Clock clock;
    // Checked against when the user does not exist, so that an unknown name takes as long as a wrong password.
    private final String decoyHash;

    Authenticator(Accounts accounts, AccessTokenRows tokens, Memberships memberships, PasswordEncoder passwords, Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.memberships = memberships;
        this.passwords = passwords;
        this.clock = clock;
        this.decoyHash = passwords.encode("decoy password that no account has");
    }

    /**
     * Checks a username and secret, where the secret is the account's password or one of its personal access tokens.
     * A token's caller is limited to the token's scopes.
     */
    @Transactional
    public Optional<Caller> authenticate(String username, String secret) {
        if (username == null || secret == null) {
            return Optional.empty();
        }
        Optional<AccountEntity> account = accounts.findByUsername(username.toLowerCase(Locale.ROOT));
        if (TokenSecrets.looksLike(TokenSecrets.PERSONAL_PREFIX, secret)) {
            return account.flatMap(found -> personalToken(secret)
                    .filter(token -> token.getAccountId().equals(found.getId()))
                    .map(token -> callerWith(found, token)));
        }
        if (account.isEmpty()) {
            passwords.matches(secret, decoyHash);
            return Optional.empty();
        }
        return account.filter(found -> passwords.matches(secret, found.getPasswordHash())).map(this::caller);
    }

    /** Checks a personal access token presented on its own, as a bearer token of the REST API. */
    @Transactional
    public Optional<Caller> authenticateToken(String secret) {
        if (!TokenSecrets.looksLike(TokenSecrets.PERSONAL_PREFIX, secret)) {
            return Optional.empty();
        }
        return personalToken(secret).flatMap(token -> accounts.findById(token.getAccountId()).map(found -> callerWith(found, token)));
    }

    /** Checks a refresh token; its caller can do what the sign-in that got it could. */
    @Transactional
    public Optional<Caller> authenticateRefreshToken(String secret) {
        if (!TokenSecrets.looksLike(TokenSecrets.REFRESH_PREFIX, secret)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return active(secret, AccessTokenEntity.Kind.REFRESH)
                // A login made with a personal access token ends when that token expires, not only when it is revoked.
                .filter(token -> token.getParentId() == null
                        || tokens.findById(token.getParentId()).filter(parent -> parent.activeAt(now)).isPresent())
                .flatMap(token -> accounts.findById(token.getAccountId())
                        // A login made with the password ends when the password changes.
                        .filter(found -> token.getCredentialsVersion() == null
                                || token.getCredentialsVersion() == found.getCredentialsVersion())
                        .map(found -> caller(found).withTokenActions(AccessTokenScope.actions(token.getScopes()),
                                token.getParentId())));
    }

    /**
     * The caller of a browser session: the account it was opened for, as long as its password has not changed since
     * (a session names the account by its id, which is never given to another account, not by its name).
     */
    @Transactional(readOnly = true)
    public Optional<Caller> sessionCaller(long accountId, int credentialsVersion) {
        return accounts.findById(accountId)
                .filter(found -> found.getCredentialsVersion() == credentialsVersion)
                .map(this::caller);
    }

    /** The account as it is now, with its current credentials version: for a session that just changed its password. */
    @Transactional(readOnly = true)
    public Optional<Caller> currentCaller(long accountId) {
        return accounts.findById(accountId).map(this::caller);
    }

    /**
     * Whether {@link #authenticate} takes this secret for a personal access token, never for a password: 256 random
     * bits that no one guesses (see TokenSecrets), so trying one is no password guess.
     */
    public static boolean isAccessToken(String secret) {
        return TokenSecrets.looksLike(TokenSecrets.PERSONAL_PREFIX, secret);
    }

    /**
     * The caller a verified registry token names; anonymous for an empty name or an account deleted since. A name is
     * never given to another account (deleted names are retired), so the name is the account.
     */
    @Transactional(readOnly = true)
    public Caller caller(String username) {
        if (username == null || username.isEmpty()) {
            return Caller.ANONYMOUS;
        }
        return accounts.findByUsername(username).map(this::caller).orElse(Caller.ANONYMOUS);
    }

    private Caller caller(AccountEntity account) {
        return new Caller(account.getId(), account.getUsername(), account.isAdministrator(),
                memberships.namespaceRoles(account.getId(), account.getUsername()), null, null,
                account.getCredentialsVersion());
    }

    private Caller callerWith(AccountEntity account, AccessTokenEntity token) {
        return caller(account).withTokenActions(AccessTokenScope.actions(token.getScopes()), token.getId());
    }

    private Optional<AccessTokenEntity> personalToken(String secret) {
        return active(secret, AccessTokenEntity.Kind.PERSONAL);
    }

    private Optional<AccessTokenEntity> active(String secret, AccessTokenEntity.Kind kind) {
        Instant now = clock.instant();
        Optional<AccessTokenEntity> token = tokens.findByTokenHash(TokenSecrets.hash(secret))
                .filter(found -> found.getKind() == kind && found.activeAt(now));
        token.ifPresent(found -> {
            if (found.getLastUsedAt() == null || found.getLastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
                found.used(now);
            }
        });
        return token;
    }
}
