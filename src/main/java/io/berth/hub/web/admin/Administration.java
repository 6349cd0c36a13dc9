package io.berth.hub.web.admin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditEvent;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.gc.GarbageCollector;
import io.berth.hub.gc.GcResult;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.StorageUsage;
import io.berth.hub.web.CallerChecks;

/**
 * What only administrators see: every account, the audit log, storage, garbage collection. The security chain already
 * keeps everyone else out of {@code /api/v1/admin/} and {@code /admin/}; the check here keeps it so for any other way
 * in.
 */
@Service
class Administration {

    private final AccountService accounts;
    private final AuditLog audit;
    private final Repositories repositories;
    private final StorageUsage storage;
    private final GarbageCollector collector;

    Administration(AccountService accounts, AuditLog audit, Repositories repositories, StorageUsage storage,
                   GarbageCollector collector) {
        this.accounts = accounts;
        this.audit = audit;
        this.repositories = repositories;
        this.storage = storage;
        this.collector = collector;
    }

    List<AdminUser> users(Caller caller) {
        requireAdministrator(caller);
        return accounts.users().stream().map(AdminUser::of).toList();
    }

    /**
     * Audit events, newest first.
     *
     * @param before only events older than this id (the last of the previous page), or null
     */
    List<AuditEvent> audit(Caller caller, int limit, Long before, String actor, String action) {
        requireAdministrator(caller);
        if (limit < 1 || limit > AuditLog.MAX_LIMIT) {
            throw HubException.invalid("limit is between 1 and " + AuditLog.MAX_LIMIT + ", not " + limit);
        }
        return audit.recent(limit, before, actor, action);
    }

    AdminOverview overview(Caller caller) {
        requireAdministrator(caller);
        return new AdminOverview(accounts.users().size(), accounts.organisations().size(), repositories.count(),
                storage.total(), collector.lastResult().orElse(null));
    }

    StorageReport storage(Caller caller) {
        requireAdministrator(caller);
        return new StorageReport(storage.byNamespace(), storage.total());
    }

    /** Collects now, with the configured grace period; waits for a collection already running, then runs. */
    GcResult collectGarbage(Caller caller, String clientAddress) throws IOException {
        requireAdministrator(caller);
        return collector.collectFor(caller.username(), clientAddress);
    }

    Optional<GcResult> lastCollection(Caller caller) {
        requireAdministrator(caller);
        return collector.lastResult();
    }

    boolean collectionRunning(Caller caller) {
        requireAdministrator(caller);
        return collector.running();
    }

    private static void requireAdministrator(Caller caller) {
        CallerChecks.requireSignedIn(caller);
        if (!caller.administrator()) {
            throw HubException.forbidden("administrators only");
        }
    }
}
