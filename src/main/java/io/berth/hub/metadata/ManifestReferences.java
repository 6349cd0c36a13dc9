package io.berth.hub.metadata;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ManifestReferences extends JpaRepository<ManifestReferenceEntity, ManifestReferenceEntity.Key> {
}
