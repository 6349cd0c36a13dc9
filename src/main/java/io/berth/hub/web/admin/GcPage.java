package io.berth.hub.web.admin;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.gc.GcResult;
import io.berth.hub.web.PageController;

/**
 * {@code /admin/gc}: run garbage collection now, as {@code POST /api/v1/admin/gc} does, and see what the last run
 * did. A run asked for while another is going waits for it (the collector runs one at a time), then runs.
 */
@Controller
class GcPage extends PageController {

    private final Administration administration;

    GcPage(Administration administration) {
        this.administration = administration;
    }

    @GetMapping("/admin/gc")
    String gc(Caller caller, Model model) {
        model.addAttribute("running", administration.collectionRunning(caller));
        model.addAttribute("last", administration.lastCollection(caller).orElse(null));
        return "admin/gc";
    }

    @PostMapping("/admin/gc")
    String collect(Caller caller, HttpServletRequest request, RedirectAttributes redirect) throws IOException {
        GcResult result = administration.collectGarbage(caller, request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Garbage collection removed " + result.blobsRemoved() + " blobs ("
                + result.bytesFreed() + " bytes).");
        return "redirect:/admin/gc";
    }
}
