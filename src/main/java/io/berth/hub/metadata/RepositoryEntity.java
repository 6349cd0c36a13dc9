package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;


/**
 * A repository such as {@code library/busybox}: the unit that holds tags, manifests and blob links, and that has a
 * visibility, a description and a README.
 */
@Entity
@Table(name = "repository")
public class RepositoryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String namespace;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Visibility visibility;

    @Column(nullable = false)
    private String description;

    @Column(nullable = false)
    private String readme;

    @Column(name = "pull_count", nullable = false)
    private long pullCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected RepositoryEntity() {
    }

    public RepositoryEntity(String name, Visibility visibility, Instant createdAt) {
        this.name = name;
        this.namespace = Namespaces.of(name);
        this.visibility = visibility;
        this.description = "";
        this.readme = "";
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getNamespace() {
        return namespace;
    }

    public Visibility getVisibility() {
        return visibility;
    }

    public String getDescription() {
        return description;
    }

    public String getReadme() {
        return readme;
    }

    public long getPullCount() {
        return pullCount;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setVisibility(Visibility visibility) {
        this.visibility = visibility;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public void setReadme(String readme) {
        this.readme = readme;
    }
}
