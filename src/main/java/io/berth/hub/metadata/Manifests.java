package io.berth.hub.metadata;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface Manifests extends JpaRepository<ManifestEntity, Long> {

    Optional<ManifestEntity> findByRepositoryIdAndDigest(long repositoryId, String digest);

    /** The manifests of a repository with these digests, in one query (listings of many tags read them at once). */
    List<ManifestEntity> findByRepositoryIdAndDigestIn(long repositoryId, Collection<String> digests);

    @Query("""
            select m from ManifestEntity m, TagEntity t
            where t.key.repositoryId = :repositoryId and t.key.name = :tag and m.id = t.manifestId""")
    Optional<ManifestEntity> findByTag(@Param("repositoryId") long repositoryId, @Param("tag") String tag);

    @Query("select m.digest from ManifestEntity m where m.repositoryId = :repositoryId and m.digest in :digests")
    List<String> findExistingDigests(@Param("repositoryId") long repositoryId, @Param("digests") Collection<String> digests);

    List<ManifestEntity> findByRepositoryIdAndSubjectDigestOrderByCreatedAtAscIdAsc(long repositoryId, String subjectDigest);
}
