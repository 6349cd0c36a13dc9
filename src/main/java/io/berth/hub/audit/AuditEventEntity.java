package io.berth.hub.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the audit log. Written once, never changed. */
@Entity
@Table(name = "audit_event")
class AuditEventEntity {

    // Column sizes of V3__audit.sql: AuditLog cuts longer values to fit.
    static final int ACTOR_LENGTH = 255;
    static final int CLIENT_ADDRESS_LENGTH = 64;
    static final int ACTION_LENGTH = 64;
    static final int TARGET_LENGTH = 512;
    static final int DETAIL_LENGTH = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(name = "actor", length = ACTOR_LENGTH, updatable = false)
    private String actor;

    @Column(name = "client_address", length = CLIENT_ADDRESS_LENGTH, updatable = false)
    private String clientAddress;

    @Column(name = "action", length = ACTION_LENGTH, nullable = false, updatable = false)
    private String action;

    @Column(name = "target", length = TARGET_LENGTH, updatable = false)
    private String target;

    @Column(name = "outcome", length = 16, nullable = false, updatable = false)
    private String outcome;

    @Column(name = "detail", length = DETAIL_LENGTH, updatable = false)
    private String detail;

    protected AuditEventEntity() {
    }

    AuditEventEntity(Instant occurredAt, String actor, String clientAddress, String action, String target,
            String outcome, String detail) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.clientAddress = clientAddress;
        this.action = action;
        this.target = target;
        this.outcome = outcome;
        this.detail = detail;
    }

    AuditEvent toEvent() {
        return new AuditEvent(id, occurredAt, actor, clientAddress, action, target, outcome, detail);
    }
}
