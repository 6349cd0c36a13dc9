package io.berth.hub.access.account;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Organisations extends JpaRepository<OrganisationEntity, Long> {

    Optional<OrganisationEntity> findByName(String name);

    List<OrganisationEntity> findAllByOrderByName();
}
