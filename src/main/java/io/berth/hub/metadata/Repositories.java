package io.berth.hub.metadata;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Repositories extends JpaRepository<RepositoryEntity, Long> {

    Optional<RepositoryEntity> findByName(String name);

    boolean existsByNamespace(String namespace);
}
