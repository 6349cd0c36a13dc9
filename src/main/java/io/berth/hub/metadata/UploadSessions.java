package io.berth.hub.metadata;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface UploadSessions extends JpaRepository<UploadSessionEntity, String> {

    List<UploadSessionEntity> findByCreatedAtBefore(Instant cutoff);
}
