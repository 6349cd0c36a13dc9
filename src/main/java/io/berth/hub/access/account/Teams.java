package io.berth.hub.access.account;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Teams extends JpaRepository<TeamEntity, Long> {

    Optional<TeamEntity> findByOrganisationIdAndName(Long organisationId, String name);

    List<TeamEntity> findByOrganisationIdOrderByName(Long organisationId);
}
