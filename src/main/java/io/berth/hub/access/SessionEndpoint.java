package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;

/**
 * Browser sign-in for the REST API (and the web UI on top of it): a session cookie after a correct password. Scripts
 * skip this and send basic credentials or a personal access token with each request.
 */
@RestController
class SessionEndpoint {

    private static final String DOOR = "/api/v1/login";

    private final SignIn signIn;

    SessionEndpoint(SignIn signIn) {
        this.signIn = signIn;
    }

    record Credentials(String username, String password) {
    }

    record SignedIn(String username, boolean administrator) {
    }

    record Message(String message) {
    }

    @PostMapping("/api/v1/login")
    ResponseEntity<?> login(@RequestBody Credentials credentials, HttpServletRequest request) {
        if (credentials == null || credentials.username() == null || credentials.password() == null) {
            return ResponseEntity.badRequest().body(new Message("username and password are required"));
        }
        Caller caller;
        try {
            caller = signIn.withPassword(credentials.username(), credentials.password(), request.getRemoteAddr(), DOOR);
        } catch (SignInException e) {
            if (e.throttled()) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                        .body(new Message(e.getMessage()));
            }
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(new Message(e.getMessage()));
        }
        if (caller.credentialId() != null) {
            // A session would outlive the token's scopes and revocation; tokens are sent with each request instead.
            return ResponseEntity.badRequest().body(new Message(
                    "sign in with the password; send access tokens with each request as bearer tokens"));
        }
        BrowserSessions.open(request, caller);
        return ResponseEntity.ok(new SignedIn(caller.username(), caller.administrator()));
    }

    @PostMapping("/api/v1/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        BrowserSessions.close(request);
        return ResponseEntity.noContent().build();
    }
}
