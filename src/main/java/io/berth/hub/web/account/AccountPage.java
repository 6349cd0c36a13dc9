package io.berth.hub.web.account;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.hub.HubException;
import io.berth.hub.access.BrowserSignIn;
import io.berth.hub.access.SignInException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;

/**
 * {@code /account}: the signed-in viewer's profile, its e-mail address and password. The password changes only with
 * the current one, so that a browser left signed in does not hand the account over; the change ends the account's
 * other sessions, and this one stays signed in.
 */
@Controller
class AccountPage extends PageController {

    private final UserManagement users;
    private final BrowserSignIn sessions;

    AccountPage(UserManagement users, BrowserSignIn sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @GetMapping("/account")
    String profile(Caller caller, Model model) {
        model.addAttribute("account", users.me(caller));
        return "account/profile";
    }

    @PostMapping("/account/email")
    String changeEmail(@RequestParam(defaultValue = "") String email, Caller caller, HttpServletRequest request,
                       RedirectAttributes redirect) {
        try {
            users.update(caller, request.getRemoteAddr(), caller.username(), email.strip(), null, null, null);
            redirect.addFlashAttribute("notice", "Your e-mail address is now " + email.strip() + ".");
        } catch (HubException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/account";
    }

    @PostMapping("/account/password")
    String changePassword(@RequestParam(name = "current-password", defaultValue = "") String currentPassword,
                          @RequestParam(name = "new-password", defaultValue = "") String newPassword, Caller caller,
                          HttpServletRequest request, RedirectAttributes redirect) {
        try {
            users.update(caller, request.getRemoteAddr(), caller.username(), null, newPassword, currentPassword, null);
            sessions.keepSignedInAfterPasswordChange(request, caller);
            redirect.addFlashAttribute("notice", "Your password was changed; your other sessions were signed out.");
        } catch (HubException | SignInException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/account";
    }
}
