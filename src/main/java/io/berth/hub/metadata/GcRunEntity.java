package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The outcome of one garbage collection, kept for operators. */
@Entity
@Table(name = "gc_run")
public class GcRunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at", nullable = false)
    private Instant finishedAt;

    @Column(name = "trigger_name", nullable = false)
    private String trigger;

    @Column(name = "links_removed", nullable = false)
    private long linksRemoved;

    @Column(name = "blobs_removed", nullable = false)
    private long blobsRemoved;

    @Column(name = "bytes_freed", nullable = false)
    private long bytesFreed;

    @Column(name = "uploads_removed", nullable = false)
    private long uploadsRemoved;

    @Column(name = "orphans_removed", nullable = false)
    private long orphansRemoved;

    protected GcRunEntity() {
    }

    public GcRunEntity(Instant startedAt, Instant finishedAt, String trigger, long linksRemoved, long blobsRemoved,
            long bytesFreed, long uploadsRemoved, long orphansRemoved) {
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.trigger = trigger;
        this.linksRemoved = linksRemoved;
        this.blobsRemoved = blobsRemoved;
        this.bytesFreed = bytesFreed;
        this.uploadsRemoved = uploadsRemoved;
        this.orphansRemoved = orphansRemoved;
    }

    public Long getId() {
        return id;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getTrigger() {
        return trigger;
    }

    public long getLinksRemoved() {
        return linksRemoved;
    }

    public long getBlobsRemoved() {
        return blobsRemoved;
    }

    public long getBytesFreed() {
        return bytesFreed;
    }

    public long getUploadsRemoved() {
        return uploadsRemoved;
    }

    public long getOrphansRemoved() {
        return orphansRemoved;
    }
}
