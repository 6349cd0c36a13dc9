package io.berth.hub.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface Tags extends JpaRepository<TagEntity, TagEntity.Key> {

    @Modifying
    @Query("delete from TagEntity t where t.manifestId = :manifestId")
    int deleteByManifestId(@Param("manifestId") long manifestId);
}
