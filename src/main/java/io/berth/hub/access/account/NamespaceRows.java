package io.berth.hub.access.account;

import org.springframework.data.jpa.repository.JpaRepository;

interface NamespaceRows extends JpaRepository<NamespaceEntity, String> {
}
