package io.berth.hub.audit;

import java.time.Instant;

/**
 * One recorded security event, as the admin API shows it.
 *
 * @param id            increasing with the order events were recorded in; the paging cursor
 * @param actor         the user name, or null for an anonymous caller
 * @param clientAddress the client's address, when known
 * @param action        the {@link AuditAction#wireName() wire name} of the action
 * @param target        what the action was on, e.g. {@code acme/api:1.0@sha256:...}, {@code token:ci},
 *                      {@code team:acme/devs}; null when nothing in particular
 * @param outcome       {@code success} or {@code failure}
 * @param detail        free text for people, or null
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String clientAddress, String action,
        String target, String outcome, String detail) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
}
