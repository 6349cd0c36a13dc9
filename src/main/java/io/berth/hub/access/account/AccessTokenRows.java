package io.berth.hub.access.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface AccessTokenRows extends JpaRepository<AccessTokenEntity, Long> {

    Optional<AccessTokenEntity> findByTokenHash(String tokenHash);

    List<AccessTokenEntity> findByAccountIdAndKindOrderByCreatedAtDesc(Long accountId, AccessTokenEntity.Kind kind);

    @Modifying
    @Query("UPDATE AccessTokenEntity t SET t.revokedAt = :now WHERE t.revokedAt IS NULL AND (t.parentId = :parentId)")
    int revokeChildren(Long parentId, Instant now);

    /** The logins made with the password; those made with a personal access token live as long as that token. */
    @Modifying
    @Query("UPDATE AccessTokenEntity t SET t.revokedAt = :now WHERE t.revokedAt IS NULL AND t.accountId = :accountId"
            + " AND t.kind = io.berth.hub.access.account.AccessTokenEntity.Kind.REFRESH AND t.parentId IS NULL")
    int revokePasswordRefreshTokens(Long accountId, Instant now);

    @Modifying
    @Query("UPDATE AccessTokenEntity t SET t.lastUsedAt = :now WHERE t.id = :id")
    int touch(Long id, Instant now);
}
