package io.berth.hub.web.repository;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.RepositoryAccess;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.distribution.RepositoryName;
import io.berth.hub.metadata.Namespaces;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryEntity;
import io.berth.hub.metadata.Visibility;
import io.berth.hub.web.CallerChecks;

/**
 * Repositories through the REST API: search, creation without a push, settings, deletion and stars. Who may do what
 * follows the caller's role on the repository ({@link RepositoryAccess}): reading shows it, {@code admin} changes
 * and deletes it, and for anyone who may not read it, it does not exist.
 */
@Service
class RepositoryManagement {

    /** Column sizes (V2__accounts.sql). */
    static final int MAX_DESCRIPTION_LENGTH = 1000;
    static final int MAX_README_LENGTH = 100_000;

    private final RepositoryLookup lookup;
    private final RepositoryAccess access;
    private final RepositorySearch search;
    private final RepositoryRemoval removal;
    private final Repositories repositories;
    private final Stars stars;
    private final TransactionTemplate transaction;
    private final HubProperties hub;
    private final AuditLog audit;
    private final Clock clock;

    RepositoryManagement(RepositoryLookup lookup, RepositoryAccess access, RepositorySearch search,
                         RepositoryRemoval removal, Repositories repositories, Stars stars,
                         PlatformTransactionManager transactions, HubProperties hub, AuditLog audit, Clock clock) {
        this.lookup = lookup;
        this.access = access;
        this.search = search;
        this.removal = removal;
        this.repositories = repositories;
        this.stars = stars;
        this.transaction = new TransactionTemplate(transactions);
        this.hub = hub;
        this.audit = audit;
        this.clock = clock;
    }

    /** The repositories the caller may see that match the query; the others count nowhere. */
    RepositoryPage search(Caller caller, RepositoryQuery query) {
        return search.search(query, access.visibleTo(caller), caller.accountId());
    }

    RepositoryDetails get(Caller caller, String name) {
        return details(caller, lookup.visible(caller, name));
    }

    /** The repository as its settings show it: for those who may change them ({@code admin}) only. */
    RepositoryDetails getForChange(Caller caller, String name) {
        RepositoryLookup.Seen seen = lookup.visible(caller, name);
        seen.requireRole(caller, RepositoryRole.ADMIN, "changing");
        return details(caller, seen);
    }

    /** The namespaces the caller may create repositories in (where it has the {@code write} role), its own first. */
    List<String> creatableNamespaces(Caller caller) {
        if (caller.anonymous()) {
            return List.of();
        }
        List<String> namespaces = new ArrayList<>();
        namespaces.add(caller.username());
        caller.namespaceRoles().entrySet().stream()
                .filter(entry -> entry.getValue().includes(RepositoryRole.WRITE))
                .map(Map.Entry::getKey)
                .filter(namespace -> !namespace.equals(caller.username()))
                .sorted()
                .forEach(namespaces::add);
        return namespaces;
    }

    /** Creates an empty repository, as a first push would; needs the {@code write} role in its namespace. */
    RepositoryDetails create(Caller caller, String clientAddress, String name, String visibility, String description) {
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireWriteScope(caller);
        if (!RepositoryName.isValid(name)) {
            throw HubException.invalid("invalid repository name: " + name + " (lower-case path components such as"
                    + " acme/api, at most 255 characters)");
        }
        String namespace = Namespaces.of(name);
        if (!caller.roleIn(namespace).includes(RepositoryRole.WRITE)) {
            throw HubException.forbidden("creating repositories in " + namespace + " needs the write role there");
        }
        Visibility chosen = visibility == null ? hub.defaultVisibility() : visibility(visibility);
        String text = requireDescription(description);
        if (repositories.findByName(name).isPresent()) {
            throw exists(name);
        }
        try {
            transaction.executeWithoutResult(status -> {
                RepositoryEntity repository = new RepositoryEntity(name, chosen, clock.instant());
                if (text != null) {
                    repository.setDescription(text);
                }
                repositories.saveAndFlush(repository);
            });
        } catch (DataIntegrityViolationException e) {
            throw exists(name); // a push or another request created it in between
        }
        audit.record(caller.username(), clientAddress, AuditAction.REPOSITORY_CREATED, name, true, chosen.wireName());
        return get(caller, name);
    }

    /** Changes the description, README or visibility; needs the {@code admin} role. */
    RepositoryDetails update(Caller caller, String clientAddress, String name, String description, String readme,
                             String visibility) {
        RepositoryLookup.Seen seen = lookup.visible(caller, name);
        CallerChecks.requireWriteScope(caller);
        seen.requireRole(caller, RepositoryRole.ADMIN, "changing");
        Visibility newVisibility = visibility == null ? null : visibility(visibility);
        String newDescription = requireDescription(description);
        if (readme != null && readme.length() > MAX_README_LENGTH) {
            throw HubException.invalid("a README has at most " + MAX_README_LENGTH + " characters");
        }
        Visibility before = seen.repository().getVisibility();
        transaction.executeWithoutResult(status -> {
            RepositoryEntity repository = repositories.findById(seen.repository().getId())
                    .orElseThrow(() -> RepositoryLookup.notFound(name));
            if (newDescription != null) {
                repository.setDescription(newDescription);
            }
            if (readme != null) {
                repository.setReadme(readme);
            }
            if (newVisibility != null) {
                repository.setVisibility(newVisibility);
            }
        });
        if (newVisibility != null && newVisibility != before) {
            audit.record(caller.username(), clientAddress, AuditAction.VISIBILITY_CHANGED, name, true,
                    before.wireName() + " -> " + newVisibility.wireName());
        }
        return get(caller, name);
    }

    /** Deletes the repository with its tags and manifests; needs the {@code admin} role. */
    void delete(Caller caller, String clientAddress, String name) {
        RepositoryLookup.Seen seen = lookup.visible(caller, name);
        CallerChecks.requireDeleteScope(caller);
        seen.requireRole(caller, RepositoryRole.ADMIN, "deleting");
        if (!removal.delete(seen.repository().getId(), name)) {
            throw RepositoryLookup.notFound(name);
        }
        audit.record(caller.username(), clientAddress, AuditAction.REPOSITORY_DELETED, name, true, null);
    }

    void star(Caller caller, String name) {
        RepositoryLookup.Seen seen = lookup.visible(caller, name);
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireWriteScope(caller);
        try {
            stars.add(caller.accountId(), seen.repository().getId(), clock.instant());
        } catch (DataIntegrityViolationException e) {
            throw RepositoryLookup.notFound(name); // deleted a moment ago
        }
    }

    void unstar(Caller caller, String name) {
        RepositoryLookup.Seen seen = lookup.visible(caller, name);
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireWriteScope(caller);
        stars.remove(caller.accountId(), seen.repository().getId());
    }

    private RepositoryDetails details(Caller caller, RepositoryLookup.Seen seen) {
        String name = seen.repository().getName();
        RepositorySummary summary = search.one(name, caller.accountId()).orElseThrow(() -> RepositoryLookup.notFound(name));
        return RepositoryDetails.of(summary, seen.repository().getReadme(), seen.role());
    }

    private static Visibility visibility(String value) {
        try {
            return Visibility.of(value);
        } catch (IllegalArgumentException e) {
            throw HubException.invalid(e.getMessage());
        }
    }

    private static String requireDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw HubException.invalid("a description has at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return description;
    }

    private static HubException exists(String name) {
        return HubException.conflict("repository exists: " + name);
    }
}
