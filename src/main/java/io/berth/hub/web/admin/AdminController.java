package io.berth.hub.web.admin;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditEvent;
import io.berth.hub.web.ApiController;

/** {@code /api/v1/admin}: accounts and the audit log, for administrators. */
@RestController
@RequestMapping("/api/v1/admin")
class AdminController extends ApiController {

    private final Administration administration;

    AdminController(Administration administration) {
        this.administration = administration;
    }

    @GetMapping("/users")
    List<AdminUser> users(Caller caller) {
        return administration.users(caller);
    }

    @GetMapping("/audit")
    List<AuditEvent> audit(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) Long before,
                           @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                           Caller caller) {
        return administration.audit(caller, limit, before, actor, action);
    }
}
