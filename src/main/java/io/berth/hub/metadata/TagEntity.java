package io.berth.hub.metadata;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A tag: a name in a repository pointing at one manifest. */
@Entity
@Table(name = "tag")
public class TagEntity extends NewUntilSaved<TagEntity.Key> {

    @EmbeddedId
    private Key key;

    @Column(name = "manifest_id", nullable = false)
    private long manifestId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TagEntity() {
    }

    @Override
    public Key getId() {
        return key;
    }

    public TagEntity(long repositoryId, String name, long manifestId, Instant updatedAt) {
        this.key = new Key(repositoryId, name);
        this.manifestId = manifestId;
        this.updatedAt = updatedAt;
    }

    public Key getKey() {
        return key;
    }

    public long getManifestId() {
        return manifestId;
    }

    public void pointAt(long manifestId, Instant now) {
        this.manifestId = manifestId;
        this.updatedAt = now;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    @Embeddable
    public record Key(@Column(name = "repository_id") long repositoryId, @Column(name = "name") String name)
            implements Serializable {
    }
}
