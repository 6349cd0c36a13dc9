package io.berth.hub.access;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.Caller;

/**
 * Who calls the REST API: basic credentials (a password or a personal access token), a personal access token as a
 * bearer token, or the session of a browser that signed in through {@code POST /api/v1/login}; nobody otherwise.
 * Wrong credentials are refused outright rather than treated as anonymous, so that a script with a typo learns it.
 * The {@link Caller} is left on the request for controllers to take as a parameter.
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {

    private static final String DOOR = "/api";

    private final SignIn signIn;
    private final Authenticator authenticator;
    private final JsonResponses responses;
    private final boolean credentialsInRequests;

    ApiAuthenticationFilter(SignIn signIn, Authenticator authenticator, JsonResponses responses) {
        this(signIn, authenticator, responses, true);
    }

    private ApiAuthenticationFilter(SignIn signIn, Authenticator authenticator, JsonResponses responses,
            boolean credentialsInRequests) {
        this.signIn = signIn;
        this.authenticator = authenticator;
        this.responses = responses;
        this.credentialsInRequests = credentialsInRequests;
    }

    /**
     * The web UI's callers: the signed-in session only. An {@code Authorization} header is ignored there: pages are
     * for browsers, and a page that accepted one would need no CSRF token from a script on another site that has it.
     */
    static ApiAuthenticationFilter sessionsOnly(SignIn signIn, Authenticator authenticator, JsonResponses responses) {
        return new ApiAuthenticationFilter(signIn, authenticator, responses, false);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (credentialsInRequests) {
            return false;
        }
        // Styles, scripts and images of the pages are the same for everyone: no session lookup for them.
        String path = request.getRequestURI();
        return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/webjars/")
                || path.equals("/favicon.ico");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        // A page's stream (the node page's live logs) ends with an async dispatch, which the web UI's chain authorizes
        // like any other: it needs the signed-in caller again, or the end of the stream is refused as anonymous.
        return credentialsInRequests;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        // A page's error page shows who is signed in, as the page itself would have.
        return credentialsInRequests;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller;
        try {
            caller = caller(request);
        } catch (SignInException e) {
            if (e.throttled()) {
                response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
                responses.message(response, 429, e.getMessage());
            } else {
                response.setHeader("WWW-Authenticate", "Basic realm=\"berth\", charset=\"UTF-8\"");
                responses.message(response, 401, e.getMessage());
            }
            return;
        }
        ApiCallers.set(request, caller);
        if (!caller.anonymous()) {
            SecurityContextHolder.getContext().setAuthentication(new PrincipalAuthentication(caller, caller.username(),
                    caller.administrator() ? AuthorityUtils.createAuthorityList("ROLE_ADMIN") : AuthorityUtils.NO_AUTHORITIES));
        }
        chain.doFilter(request, response);
    }

    private Caller caller(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        String address = request.getRemoteAddr();
        if (authorization != null && credentialsInRequests) {
            String[] basic = TokenEndpoint.basicCredentials(authorization);
            if (basic != null) {
                return signIn.checkPassword(basic[0], basic[1], address, DOOR);
            }
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return signIn.checkAccessToken(authorization.substring(7).strip(), address, DOOR);
            }
        }
        // Read afresh for every request: a membership, a password or an account changed a moment ago counts now.
        return BrowserSessions.caller(request, authenticator);
    }
}
