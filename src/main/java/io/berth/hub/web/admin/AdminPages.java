package io.berth.hub.web.admin;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;
import io.berth.hub.web.account.UserManagement;

/**
 * {@code /admin} and {@code /admin/users}: the administrators' overview, and accounts created, promoted and deleted
 * through the same service (and audit trail) as {@code /api/v1/users}.
 */
@Controller
class AdminPages extends PageController {

    private final Administration administration;
    private final UserManagement users;

    AdminPages(Administration administration, UserManagement users) {
        this.administration = administration;
        this.users = users;
    }

    @GetMapping("/admin")
    String overview(Caller caller, Model model) {
        model.addAttribute("overview", administration.overview(caller));
        return "admin/overview";
    }

    @GetMapping("/admin/users")
    String users(Caller caller, Model model) {
        model.addAttribute("users", administration.users(caller));
        model.addAttribute("viewer", caller.username());
        return "admin/users";
    }

    @PostMapping("/admin/users")
    String create(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String email,
                  @RequestParam(defaultValue = "") String password,
                  @RequestParam(defaultValue = "false") boolean administrator,
                  Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        users.signUp(caller, request.getRemoteAddr(), username.strip(), email.strip(), password, administrator);
        redirect.addFlashAttribute("notice", "Created " + (administrator ? "administrator " : "user ") + username.strip() + ".");
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/users/{username}/administrator")
    String administrator(@PathVariable String username, @RequestParam boolean administrator, Caller caller,
                         HttpServletRequest request, RedirectAttributes redirect) {
        users.update(caller, request.getRemoteAddr(), username, null, null, null, administrator);
        redirect.addFlashAttribute("notice", administrator
                ? username + " is an administrator now." : username + " is no longer an administrator.");
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/users/{username}/delete")
    String delete(@PathVariable String username, Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        users.delete(caller, request.getRemoteAddr(), username);
        redirect.addFlashAttribute("notice", "Deleted " + username + " and its repositories.");
        return "redirect:/admin/users";
    }
}
