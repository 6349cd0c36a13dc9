package io.berth.hub.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface Blobs extends JpaRepository<BlobEntity, String> {

    /** Reads and locks a blob row, so that committing and collecting one digest never interleave. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from BlobEntity b where b.digest = :digest")
    Optional<BlobEntity> lockByDigest(@Param("digest") String digest);

    /** The bytes of every stored blob, counted once however many repositories link it. */
    @Query("select coalesce(sum(b.size), 0) from BlobEntity b")
    long totalSize();

    /** Blobs a collection marked and did not finish removing (it crashed, or its transaction failed). */
    @Query("select b.digest from BlobEntity b where b.deleting = true order by b.digest")
    List<String> findDeleting(Limit limit);

    /** Blobs no repository links any more and that are older than {@code cutoff}. */
    @Query("""
            select b.digest from BlobEntity b
            where b.createdAt < :cutoff
              and not exists (select 1 from BlobLinkEntity l where l.key.digest = b.digest)
            order by b.digest""")
    List<String> findUnlinkedBefore(@Param("cutoff") Instant cutoff, Limit limit);
}
