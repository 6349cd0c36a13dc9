package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.berth.hub.HubProperties;
import io.berth.hub.access.caller.Caller;

/**
 * The web UI's sign-in and sign-out. A wrong password, or too many of them, shows the page again with the reason and
 * the status the REST API would answer; the throttle and the audit log are the same as everywhere else.
 */
@Controller
class SignInPage {

    private static final String DOOR = "/sign-in";

    private final SignIn signIn;
    private final HubProperties hub;

    SignInPage(SignIn signIn, HubProperties hub) {
        this.signIn = signIn;
        this.hub = hub;
    }

    @GetMapping("/sign-in")
    String form(@RequestParam(required = false) String next, Model model) {
        model.addAttribute("next", WebUiPaths.safeNext(next));
        model.addAttribute("signUpEnabled", hub.signUpEnabled());
        return "sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                  @RequestParam(required = false) String next, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        String target = WebUiPaths.safeNext(next);
        try {
            Caller caller = signIn.withPassword(username.strip(), password, request.getRemoteAddr(), DOOR);
            if (caller.credentialId() != null) {
                throw SignInException.invalidCredentials(); // a token is no password: the API takes tokens, not the UI
            }
            BrowserSessions.open(request, caller);
            return "redirect:" + target;
        } catch (SignInException e) {
            if (e.throttled()) {
                response.setStatus(429);
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            } else {
                response.setStatus(401);
            }
            model.addAttribute("error", e.getMessage());
            model.addAttribute("username", username);
            model.addAttribute("next", target);
            model.addAttribute("signUpEnabled", hub.signUpEnabled());
            return "sign-in";
        }
    }

    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request) {
        BrowserSessions.close(request);
        return "redirect:/";
    }
}
