package io.berth.hub.web.admin;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;

/** {@code /admin/storage}: the bytes each namespace's repositories hold, and the total. */
@Controller
class StoragePage extends PageController {

    private final Administration administration;

    StoragePage(Administration administration) {
        this.administration = administration;
    }

    @GetMapping("/admin/storage")
    String storage(Caller caller, Model model) {
        model.addAttribute("report", administration.storage(caller));
        return "admin/storage";
    }
}
