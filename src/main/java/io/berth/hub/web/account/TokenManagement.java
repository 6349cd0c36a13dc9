package io.berth.hub.web.account;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.access.account.AccessTokenEntity;
import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.account.CreatedToken;
import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/** The caller's personal access tokens: listed, created (the secret shown once) and revoked, on the audit trail. */
@Service
class TokenManagement {

    private final AccessTokenService tokens;
    private final AuditLog audit;

    TokenManagement(AccessTokenService tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    List<AccessToken> list(Caller caller) {
        return tokens.list(caller).stream().map(AccessToken::of).toList();
    }

    NewAccessToken create(Caller caller, String clientAddress, String name, List<String> scopeNames, Instant expiresAt) {
        CallerChecks.requirePasswordOrSession(caller, "create access tokens");
        CreatedToken created = tokens.create(caller, name, scopes(scopeNames), expiresAt);
        NewAccessToken token = NewAccessToken.of(created);
        audit.record(caller.username(), clientAddress, AuditAction.TOKEN_CREATED, "token:" + token.name(), true,
                "id " + token.id() + ", scopes " + String.join(",", token.scopes())
                        + (expiresAt == null ? "" : ", expires " + expiresAt));
        return token;
    }

    void revoke(Caller caller, String clientAddress, long id) {
        CallerChecks.requirePasswordOrSession(caller, "revoke access tokens");
        AccessTokenEntity revoked = tokens.revoke(caller, id);
        audit.record(caller.username(), clientAddress, AuditAction.TOKEN_REVOKED, "token:" + revoked.getName(), true,
                "id " + revoked.getId());
    }

    private static Set<AccessTokenScope> scopes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw HubException.invalid("a token needs at least one scope: read, write or delete");
        }
        Set<AccessTokenScope> scopes = EnumSet.noneOf(AccessTokenScope.class);
        for (String name : names) {
            try {
                scopes.add(AccessTokenScope.of(name));
            } catch (IllegalArgumentException e) {
                throw HubException.invalid(e.getMessage());
            }
        }
        return scopes;
    }
}
