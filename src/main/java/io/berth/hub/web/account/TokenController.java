package io.berth.hub.web.account;

import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.ApiController;

/** {@code /api/v1/user/tokens}: the caller's personal access tokens. */
@RestController
@RequestMapping("/api/v1/user/tokens")
class TokenController extends ApiController {

    private final TokenManagement tokens;

    TokenController(TokenManagement tokens) {
        this.tokens = tokens;
    }

    record NewToken(String name, List<String> scopes, Instant expiresAt) {
    }

    @GetMapping
    List<AccessToken> list(Caller caller) {
        return tokens.list(caller);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    NewAccessToken create(@RequestBody NewToken body, Caller caller, HttpServletRequest request) {
        return tokens.create(caller, request.getRemoteAddr(), body.name(), body.scopes(), body.expiresAt());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable long id, Caller caller, HttpServletRequest request) {
        tokens.revoke(caller, request.getRemoteAddr(), id);
    }
}
