package io.berth.hub.distribution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.hub.HubProperties;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryDeleted;
import io.berth.hub.metadata.RepositoryEntity;
import io.berth.hub.metadata.Visibility;

/**
 * Looks repositories up by name, and creates them on first push. Ids are cached: a name's id never changes while
 * the repository exists, and every request needs it. A repository can be deleted and pushed anew under a new id,
 * though, on this replica (which hears of it at once) or on another (which does not); so an id is trusted for a short
 * while only.
 */
@Service
class RepositoryService {

    private final Repositories repositories;
    private final TransactionTemplate newTransaction;
    private final Clock clock;
    private final Visibility defaultVisibility;
    private final AuditLog audit;
    private final Map<String, CachedId> ids = new ConcurrentHashMap<>();

    private static final Duration CACHE_LIFETIME = Duration.ofSeconds(30);

    private record CachedId(long id, Instant until) {
    }

    RepositoryService(Repositories repositories, PlatformTransactionManager transactions, Clock clock, HubProperties hub,
            AuditLog audit) {
        this.audit = audit;
        this.repositories = repositories;
        this.defaultVisibility = hub.defaultVisibility();
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    Optional<Long> find(RepositoryName name) {
        CachedId cached = ids.get(name.value());
        Instant now = clock.instant();
        if (cached != null && cached.until().isAfter(now)) {
            return Optional.of(cached.id());
        }
        Optional<Long> id = repositories.findByName(name.value()).map(RepositoryEntity::getId);
        id.ifPresentOrElse(value -> ids.put(name.value(), new CachedId(value, now.plus(CACHE_LIFETIME))),
                () -> ids.remove(name.value()));
        return id;
    }

    /** Who pushes: the subject of the registry token the request carried (a push always has one). */
    private static String pusher() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication.getName().isEmpty() ? null : authentication.getName();
    }

    /** Forgets a deleted repository's id at once, so that a push of the same name here creates it afresh. */
    @EventListener
    void forget(RepositoryDeleted deleted) {
        ids.remove(deleted.name());
    }

    long require(RepositoryName name, RegistryError error, String message, Object detail) {
        return find(name).orElseThrow(() -> new RegistryException(error, message, detail));
    }

    /** The repository's id, creating the repository when it does not exist yet. */
    long findOrCreate(RepositoryName name) {
        Optional<Long> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Long id = newTransaction.execute(status ->
                    repositories.saveAndFlush(new RepositoryEntity(name.value(), defaultVisibility, clock.instant())).getId());
            ids.put(name.value(), new CachedId(id, clock.instant().plus(CACHE_LIFETIME)));
            audit.record(pusher(), null, AuditAction.REPOSITORY_CREATED, name.value(), true,
                    "by a push, " + defaultVisibility.wireName());
            return id;
        } catch (DataIntegrityViolationException e) {
            // Another request created it at the same moment.
            return find(name).orElseThrow(() -> e);
        }
    }
}
