package io.berth.hub.distribution;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryEntity;

/**
 * Looks repositories up by name, and creates them on first push. Ids are cached: a name's id never changes while
 * the repository exists, and every request needs it.
 */
@Service
class RepositoryService {

    private final Repositories repositories;
    private final TransactionTemplate newTransaction;
    private final Clock clock;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();

    RepositoryService(Repositories repositories, PlatformTransactionManager transactions, Clock clock) {
        this.repositories = repositories;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    Optional<Long> find(RepositoryName name) {
        Long cached = ids.get(name.value());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Long> id = repositories.findByName(name.value()).map(RepositoryEntity::getId);
        id.ifPresent(value -> ids.put(name.value(), value));
        return id;
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
                    repositories.saveAndFlush(new RepositoryEntity(name.value(), clock.instant())).getId());
            ids.put(name.value(), id);
            return id;
        } catch (DataIntegrityViolationException e) {
            // Another request created it at the same moment.
            return find(name).orElseThrow(() -> e);
        }
    }
}
