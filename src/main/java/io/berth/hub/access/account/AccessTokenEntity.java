package io.berth.hub.access.account;

import java.time.Instant;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.berth.hub.access.caller.AccessTokenScope;

/** A personal access token, or a refresh token handed out by the OAuth2 token endpoint; only its hash is kept. */
@Entity
@Table(name = "access_token")
public class AccessTokenEntity {

    public enum Kind { PERSONAL, REFRESH }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    private String tokenHash;

    @Column(nullable = false)
    private String scopes;

    @Column(name = "parent_id")
    private Long parentId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "credentials_version")
    private Integer credentialsVersion;

    protected AccessTokenEntity() {
    }

    AccessTokenEntity(Long accountId, Kind kind, String name, String tokenHash, Set<AccessTokenScope> scopes, Long parentId,
                      Integer credentialsVersion, Instant createdAt, Instant expiresAt) {
        this.accountId = accountId;
        this.kind = kind;
        this.name = name;
        this.tokenHash = tokenHash;
        this.scopes = AccessTokenScope.join(scopes);
        this.parentId = parentId;
        this.credentialsVersion = credentialsVersion;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public Long getAccountId() {
        return accountId;
    }

    public Kind getKind() {
        return kind;
    }

    public String getName() {
        return name;
    }

    public Set<AccessTokenScope> getScopes() {
        return AccessTokenScope.split(scopes);
    }

    public Long getParentId() {
        return parentId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    /** The account's credentials version a password sign-in's refresh token was issued under; null otherwise. */
    Integer getCredentialsVersion() {
        return credentialsVersion;
    }

    /** Usable at this instant: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    void used(Instant now) {
        lastUsedAt = now;
    }
}
