package io.berth.hub.web.account;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;

/**
 * {@code /account/tokens}: the viewer's personal access tokens. A new token's secret travels to the page as a flash
 * attribute, which lives for the one request after the redirect: reloading the page does not show it again.
 */
@Controller
class TokenPage extends PageController {

    private final TokenManagement tokens;
    private final Clock clock;

    TokenPage(TokenManagement tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A token as the page lists it: whether it still works, besides what the API says of it. */
    record Row(AccessToken token, boolean expired) {
    }

    @GetMapping("/account/tokens")
    String list(Caller caller, HttpServletRequest request, Model model) {
        List<AccessToken> all = tokens.list(caller);
        Instant now = clock.instant();
        model.addAttribute("tokens", all.stream().filter(token -> token.revokedAt() == null)
                .map(token -> new Row(token, token.expiresAt() != null && !token.expiresAt().isAfter(now))).toList());
        model.addAttribute("revokedTokens", all.stream().filter(token -> token.revokedAt() != null).toList());
        model.addAttribute("scopeChoices", TokenScopeChoice.values());
        model.addAttribute("expiryChoices", TokenExpiryChoice.values());
        // The host as the browser reached the Hub, for the docker login line: the registry answers on the same port.
        model.addAttribute("registryHost", request.getHeader("Host"));
        return "account/tokens";
    }

    @PostMapping("/account/tokens")
    String create(@RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String scope,
                  @RequestParam(defaultValue = "") String expiry, Caller caller, HttpServletRequest request,
                  RedirectAttributes redirect) {
        try {
            NewAccessToken created = tokens.create(caller, request.getRemoteAddr(), description,
                    TokenScopeChoice.of(scope).scopes(), TokenExpiryChoice.of(expiry).expiresAt(clock.instant()));
            redirect.addFlashAttribute("newToken", created);
        } catch (HubException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            redirect.addFlashAttribute("description", description);
        }
        return "redirect:/account/tokens";
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revoke(@PathVariable long id, Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        tokens.revoke(caller, request.getRemoteAddr(), id);
        redirect.addFlashAttribute("notice", "The token was revoked: it no longer signs anyone in.");
        return "redirect:/account/tokens";
    }
}
