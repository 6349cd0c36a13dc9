package io.berth.hub.audit;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log of security events: logins, tokens, pushes, deletes, changes of accounts, organisations, teams and
 * visibility. Each event is stored in the {@code audit_event} table and written as one line at INFO on the logger
 * {@code berth.audit}, which operators can route to a file or a log shipper of its own.
 *
 * <p>Recording never fails the caller: an event is stored in a transaction of its own, so a failure stays on record
 * when the request that met it rolls back; and when the store itself fails, the loss is logged at ERROR and the
 * request goes on.
 */
@Service
public class AuditLog {

    /** The most events one {@link #recent} call answers. */
    public static final int MAX_LIMIT = 1000;

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Logger trail = LoggerFactory.getLogger("berth.audit");

    private final AuditEvents events;
    private final TransactionTemplate newTransaction;
    private final Clock clock;

    AuditLog(AuditEvents events, PlatformTransactionManager transactions, Clock clock) {
        this.events = events;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * Records an event. Values longer than their column are cut to fit. Never throws.
     *
     * @param actor         the user name, or null for an anonymous caller
     * @param clientAddress the client's address, or null when unknown
     * @param target        what the action was on (see {@link AuditEvent#target()}), or null
     * @param detail        free text for people, or null
     */
    public void record(String actor, String clientAddress, AuditAction action, String target, boolean success,
            String detail) {
        String fittedActor = fit(actor, AuditEventEntity.ACTOR_LENGTH);
        String fittedAddress = fit(clientAddress, AuditEventEntity.CLIENT_ADDRESS_LENGTH);
        String fittedTarget = fit(target, AuditEventEntity.TARGET_LENGTH);
        String fittedDetail = fit(detail, AuditEventEntity.DETAIL_LENGTH);
        String outcome = success ? AuditEvent.SUCCESS : AuditEvent.FAILURE;
        String line = AuditLine.of(action == null ? null : action.wireName(), outcome, fittedActor, fittedAddress,
                fittedTarget, fittedDetail);
        trail.info(line);
        try {
            if (action == null) {
                throw new IllegalArgumentException("an audit event needs an action");
            }
            AuditEventEntity event = new AuditEventEntity(clock.instant().truncatedTo(ChronoUnit.MICROS), fittedActor,
                    fittedAddress, action.wireName(), fittedTarget, outcome, fittedDetail);
            newTransaction.executeWithoutResult(status -> events.save(event));
        } catch (RuntimeException e) {
            // Losing an audit row must not turn into a failed login or push; the line above still has the event.
            log.error("Could not store the audit event {}", line, e);
        }
    }

    /**
     * Recorded events, newest first.
     *
     * @param limit    how many at most; taken between 1 and {@value #MAX_LIMIT}
     * @param beforeId only events older than this one (the last id of the previous page), or null for the newest
     * @param actor    only this user's events, or null (or blank) for everyone's
     * @param action   only events of this wire name, or null (or blank) for all
     */
    public List<AuditEvent> recent(int limit, Long beforeId, String actor, String action) {
        int capped = Math.max(1, Math.min(limit, MAX_LIMIT));
        Specification<AuditEventEntity> where = Specification.unrestricted();
        if (beforeId != null) {
            where = where.and((root, criteria) -> criteria.lessThan(root.<Long>get("id"), beforeId));
        }
        if (actor != null && !actor.isBlank()) {
            where = where.and((root, criteria) -> criteria.equal(root.get("actor"), actor));
        }
        if (action != null && !action.isBlank()) {
            where = where.and((root, criteria) -> criteria.equal(root.get("action"), action));
        }
        // Ids follow the order events were stored in, and make a stable cursor where timestamps may tie.
        return events.findBy(where, query -> query.sortBy(Sort.by(Sort.Direction.DESC, "id")).limit(capped).all())
                .stream()
                .map(AuditEventEntity::toEvent)
                .toList();
    }

    /**
     * The value as its column can hold it: cut to the column's length (never between the two halves of a surrogate
     * pair), and without NUL characters, which PostgreSQL refuses in text; a user name carrying one would otherwise
     * keep its failed logins out of the log.
     */
    static String fit(String value, int length) {
        if (value == null) {
            return null;
        }
        String clean = value.replace('\u0000', '\uFFFD');
        if (clean.length() <= length) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(length - 1)) ? length - 1 : length;
        return clean.substring(0, end);
    }
}
