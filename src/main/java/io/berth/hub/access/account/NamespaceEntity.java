package io.berth.hub.access.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * A name taken by a user or an organisation; the table's primary key keeps the two from ever sharing one. A name
 * outlives its holder: once retired, nobody takes it again.
 */
@Entity
@Table(name = "namespace")
class NamespaceEntity implements Persistable<String> {

    enum Kind { USER, ORGANISATION }

    @Id
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "retired_at")
    private Instant retiredAt;

    @Transient
    private boolean isNew = true;

    protected NamespaceEntity() {
    }

    NamespaceEntity(String name, Kind kind, Instant createdAt) {
        this.name = name;
        this.kind = kind;
        this.createdAt = createdAt;
    }

    @Override
    public String getId() {
        return name;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    Kind getKind() {
        return kind;
    }

    /** Whether the user or organisation that held the name was deleted: the name is never given out again. */
    boolean retired() {
        return retiredAt != null;
    }

    void retire(Instant now) {
        retiredAt = now;
    }
}
