package io.berth.hub.web.admin;

import java.util.Arrays;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditEvent;
import io.berth.hub.web.PageController;

/**
 * {@code /admin/audit}: the audit log, newest first, a page at a time (the cursor is the id of the last event shown,
 * as in {@code /api/v1/admin/audit}), filtered by actor and action.
 */
@Controller
class AuditPage extends PageController {

    static final int PAGE_SIZE = 50;

    private final Administration administration;

    AuditPage(Administration administration) {
        this.administration = administration;
    }

    @GetMapping("/admin/audit")
    String audit(@RequestParam(required = false) Long before, @RequestParam(defaultValue = "") String actor,
                 @RequestParam(defaultValue = "") String action, Caller caller, Model model) {
        String actorFilter = actor.strip();
        // One more than a page: whether there is an older page, without a second query.
        List<AuditEvent> events = administration.audit(caller, PAGE_SIZE + 1, before, actorFilter, action);
        boolean more = events.size() > PAGE_SIZE;
        List<AuditEvent> page = more ? events.subList(0, PAGE_SIZE) : events;
        model.addAttribute("events", page);
        model.addAttribute("actor", actorFilter);
        model.addAttribute("action", action);
        model.addAttribute("actions", Arrays.stream(AuditAction.values()).map(AuditAction::wireName).sorted().toList());
        model.addAttribute("older", more ? link(page.get(page.size() - 1).id(), actorFilter, action) : null);
        model.addAttribute("newest", before != null ? link(null, actorFilter, action) : null);
        return "admin/audit";
    }

    private static String link(Long before, String actor, String action) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/admin/audit");
        if (!actor.isEmpty()) {
            link.queryParam("actor", actor);
        }
        if (!action.isEmpty()) {
            link.queryParam("action", action);
        }
        if (before != null) {
            link.queryParam("before", before);
        }
        return link.encode().build().toUriString();
    }
}
