package io.berth.hub.metadata;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A repository's link to a blob: the repository may serve the blob while the link exists. */
@Entity
@Table(name = "repository_blob")
public class BlobLinkEntity extends NewUntilSaved<BlobLinkEntity.Key> {

    @EmbeddedId
    private Key key;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at", nullable = false)
    private Instant lastUsedAt;

    protected BlobLinkEntity() {
    }

    @Override
    public Key getId() {
        return key;
    }

    public BlobLinkEntity(long repositoryId, String digest, Instant now) {
        this.key = new Key(repositoryId, digest);
        this.createdAt = now;
        this.lastUsedAt = now;
    }

    public Key getKey() {
        return key;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public void touch(Instant now) {
        this.lastUsedAt = now;
    }

    @Embeddable
    public record Key(@Column(name = "repository_id") long repositoryId, @Column(name = "digest") String digest)
            implements Serializable {
    }
}
