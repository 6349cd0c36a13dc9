package io.berth.hub.metadata;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface UploadSessions extends JpaRepository<UploadSessionEntity, String> {

    List<UploadSessionEntity> findByCreatedAtBefore(Instant cutoff);

    /** The ids of the uploads an account has open. */
    @Query("select s.id from UploadSessionEntity s where s.account = :account")
    List<String> findIdsByAccount(@Param("account") String account);

    /** Ends a session in one statement (the inherited deleteById reads the row first). */
    @Modifying
    @Query("delete from UploadSessionEntity s where s.id = :id")
    int end(@Param("id") String id);
}
