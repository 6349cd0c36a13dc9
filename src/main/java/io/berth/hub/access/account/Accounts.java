package io.berth.hub.access.account;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Accounts extends JpaRepository<AccountEntity, Long> {

    Optional<AccountEntity> findByUsername(String username);

    boolean existsByAdministratorTrue();

    long countByAdministratorTrue();

    List<AccountEntity> findAllByOrderByUsername();
}
