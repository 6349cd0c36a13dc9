package io.berth.hub.distribution;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.berth.hub.access.RegistryRequests;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;

/** Pushes and deletes through the Distribution API, in the audit log under the name the request's token carries. */
@Component
class RegistryAudit {

    private final AuditLog audit;

    RegistryAudit(AuditLog audit) {
        this.audit = audit;
    }

    void record(HttpServletRequest request, AuditAction action, String target) {
        String subject = RegistryRequests.token(request).subject();
        audit.record(subject.isEmpty() ? null : subject, request.getRemoteAddr(), action, target, true, null);
    }
}
