package io.berth.hub.metadata;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface GcRuns extends JpaRepository<GcRunEntity, Long> {

    Optional<GcRunEntity> findFirstByOrderByIdDesc();
}
