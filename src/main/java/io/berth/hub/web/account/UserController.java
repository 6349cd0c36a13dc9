package io.berth.hub.web.account;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.BrowserSignIn;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.ApiController;

/** {@code /api/v1/users} and {@code /api/v1/user}: sign-up, the caller's account, profiles. */
@RestController
@RequestMapping("/api/v1")
class UserController extends ApiController {

    private final UserManagement users;
    private final BrowserSignIn sessions;

    UserController(UserManagement users, BrowserSignIn sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    record SignUp(String username, String email, String password, Boolean administrator) {
    }

    /** @param currentPassword needed to change one's own password, not to set another account's */
    record UserChanges(String email, String password, String currentPassword, Boolean administrator) {
    }

    @PostMapping("/users")
    ResponseEntity<Account> signUp(@RequestBody SignUp body, Caller caller, HttpServletRequest request) {
        Account account = users.signUp(caller, request.getRemoteAddr(), body.username(), body.email(), body.password(),
                Boolean.TRUE.equals(body.administrator()));
        return ResponseEntity.created(URI.create("/api/v1/users/" + account.username())).body(account);
    }

    @GetMapping("/user")
    Account me(Caller caller) {
        return users.me(caller);
    }

    @GetMapping("/users/{username}")
    Profile profile(@PathVariable String username, Caller caller) {
        return users.profile(caller, username);
    }

    @PatchMapping("/users/{username}")
    Account update(@PathVariable String username, @RequestBody UserChanges body, Caller caller, HttpServletRequest request) {
        Account account = users.update(caller, request.getRemoteAddr(), username, body.email(), body.password(),
                body.currentPassword(), body.administrator());
        if (body.password() != null && username.equals(caller.username())) {
            sessions.keepSignedInAfterPasswordChange(request, caller);
        }
        return account;
    }

    @DeleteMapping("/users/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String username, Caller caller, HttpServletRequest request) {
        users.delete(caller, request.getRemoteAddr(), username);
    }
}
