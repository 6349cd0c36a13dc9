package io.berth.hub.access.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.berth.hub.access.caller.RepositoryRole;

@Entity
@Table(name = "team")
public class TeamEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "organisation_id", nullable = false)
    private Long organisationId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RepositoryRole permission;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TeamEntity() {
    }

    TeamEntity(Long organisationId, String name, String description, RepositoryRole permission, Instant createdAt) {
        this.organisationId = organisationId;
        this.name = name;
        this.description = description;
        this.permission = permission;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public Long getOrganisationId() {
        return organisationId;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public RepositoryRole getPermission() {
        return permission;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    void setDescription(String description) {
        this.description = description;
    }

    void setPermission(RepositoryRole permission) {
        this.permission = permission;
    }
}
