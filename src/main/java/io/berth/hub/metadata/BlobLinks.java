package io.berth.hub.metadata;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface BlobLinks extends JpaRepository<BlobLinkEntity, BlobLinkEntity.Key> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select l from BlobLinkEntity l where l.key.repositoryId = :repositoryId and l.key.digest in :digests")
    List<BlobLinkEntity> lockAll(@Param("repositoryId") long repositoryId, @Param("digests") Collection<String> digests);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select l from BlobLinkEntity l where l.key = :key")
    Optional<BlobLinkEntity> lock(@Param("key") BlobLinkEntity.Key key);

    boolean existsByKeyDigest(String digest);

    /** Names of the repositories that link a blob. */
    @Query("select r.name from RepositoryEntity r, BlobLinkEntity l where l.key.repositoryId = r.id and l.key.digest = :digest")
    List<String> repositoriesLinking(@Param("digest") String digest);

    /**
     * Links older than {@code cutoff} that no manifest of their repository references: the blob was pushed but
     * never used, or every manifest using it was deleted.
     */
    @Query("""
            select l.key from BlobLinkEntity l
            where l.lastUsedAt < :cutoff
              and not exists (
                select 1 from ManifestReferenceEntity r, ManifestEntity m
                where r.key.manifestId = m.id and m.repositoryId = l.key.repositoryId and r.key.digest = l.key.digest)
            order by l.key.repositoryId, l.key.digest""")
    List<BlobLinkEntity.Key> findUnreferencedBefore(@Param("cutoff") Instant cutoff, Limit limit);

    @Query("""
            select count(r) > 0 from ManifestReferenceEntity r, ManifestEntity m
            where r.key.manifestId = m.id and m.repositoryId = :repositoryId and r.key.digest = :digest""")
    boolean isReferenced(@Param("repositoryId") long repositoryId, @Param("digest") String digest);
}
