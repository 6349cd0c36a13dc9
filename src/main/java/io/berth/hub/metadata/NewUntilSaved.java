package io.berth.hub.metadata;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * Base of entities whose ids the application assigns (digests, names, upload ids). Spring Data cannot tell a new
 * one from a stored one by its id, and would read before every insert; this flag tells it, saving a query on every
 * blob, link, tag and upload the registry records.
 */
@MappedSuperclass
abstract class NewUntilSaved<ID> implements Persistable<ID> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }
}
