package io.berth.hub.web.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.common.error.ErrorStatus;
import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.BrowserSignIn;
import io.berth.hub.access.SignInException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;

/**
 * {@code /sign-up}: an account made by its future owner, under the rules of {@code POST /api/v1/users} (the same
 * service decides, so a closed sign-up refuses here as there), then signed in and sent to its account page.
 */
@Controller
class SignUpPage extends PageController {

    private static final String DOOR = "/sign-up";

    private final UserManagement users;
    private final BrowserSignIn signIn;
    private final HubProperties hub;

    SignUpPage(UserManagement users, BrowserSignIn signIn, HubProperties hub) {
        this.users = users;
        this.signIn = signIn;
        this.hub = hub;
    }

    @GetMapping("/sign-up")
    String form(Model model) {
        model.addAttribute("signUpEnabled", hub.signUpEnabled());
        return "account/sign-up";
    }

    @PostMapping("/sign-up")
    String signUp(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String email,
                  @RequestParam(defaultValue = "") String password, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes redirect) {
        String name = username.strip();
        try {
            // Whoever fills the form in makes an account for themselves, even in a browser someone is signed in
            // with: an administrator creates accounts for others through the API.
            users.signUp(Caller.ANONYMOUS, request.getRemoteAddr(), name, email.strip(), password, false);
        } catch (HubException e) {
            response.setStatus(ErrorStatus.of(e.kind()));
            model.addAttribute("error", e.getMessage());
            model.addAttribute("username", username);
            model.addAttribute("email", email);
            model.addAttribute("signUpEnabled", hub.signUpEnabled());
            return "account/sign-up";
        }
        try {
            signIn.withPassword(request, name, password, DOOR);
        } catch (SignInException e) {
            // The account exists; only the sign-in was held up (throttled): the sign-in page explains and retries.
            redirect.addFlashAttribute("notice", "Your account " + name + " was created; sign in to use it.");
            return "redirect:/sign-in?next=/account";
        }
        redirect.addFlashAttribute("notice", "Welcome to Berth, " + name + ".");
        return "redirect:/account";
    }
}
