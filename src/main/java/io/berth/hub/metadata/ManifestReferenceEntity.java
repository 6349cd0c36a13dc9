package io.berth.hub.metadata;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One thing a manifest points at: a blob (config, layer) or a manifest (index child). */
@Entity
@Table(name = "manifest_reference")
public class ManifestReferenceEntity extends NewUntilSaved<ManifestReferenceEntity.Key> {

    public static final String BLOB = "blob";
    public static final String MANIFEST = "manifest";

    @EmbeddedId
    private Key key;

    protected ManifestReferenceEntity() {
    }

    @Override
    public Key getId() {
        return key;
    }

    public ManifestReferenceEntity(long manifestId, String digest, String kind) {
        this.key = new Key(manifestId, digest, kind);
    }

    public Key getKey() {
        return key;
    }

    @Embeddable
    public record Key(@Column(name = "manifest_id") long manifestId, @Column(name = "digest") String digest,
            @Column(name = "kind") String kind) implements Serializable {
    }
}
