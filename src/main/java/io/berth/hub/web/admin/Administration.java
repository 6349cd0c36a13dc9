package io.berth.hub.web.admin;

import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.hub.access.Caller;
import io.berth.hub.access.HubException;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.audit.AuditEvent;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/**
 * What only administrators see: every account and the audit log. The security chain already keeps everyone else
 * out of {@code /api/v1/admin/}; the check here keeps it so for any other way in.
 */
@Service
class Administration {

    private final AccountService accounts;
    private final AuditLog audit;

    Administration(AccountService accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
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

    private static void requireAdministrator(Caller caller) {
        CallerChecks.requireSignedIn(caller);
        if (!caller.administrator()) {
            throw HubException.forbidden("administrators only");
        }
    }
}
