package io.berth.hub.access;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.HubProperties;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.token.Scope;
import io.berth.hub.access.token.TokenResponse;

/**
 * The token server of the Docker token protocol. {@code GET /token} takes basic credentials (a password or a personal
 * access token) or none at all; {@code POST /token} takes the OAuth2 {@code password} and {@code refresh_token}
 * grants. Both answer with a short-lived registry token for what the caller may do of what it asked, for this
 * registry's service only: a {@code service} naming another is refused, as a token for it would name an audience
 * that is not there (a client that sends none gets a token for this one).
 */
@RestController
class TokenEndpoint {

    private static final String DOOR = "/token";

    private final SignIn signIn;
    private final RegistryTokens tokens;
    private final String service;

    TokenEndpoint(SignIn signIn, RegistryTokens tokens, HubProperties hub) {
        this.signIn = signIn;
        this.tokens = tokens;
        this.service = hub.token().service();
    }

    @GetMapping("/token")
    ResponseEntity<?> get(HttpServletRequest request,
                          @RequestParam(name = "offline_token", required = false) String offlineToken,
                          @RequestParam(name = "client_id", required = false) String clientId,
                          @RequestParam(name = "service", required = false) String requestedService) {
        if (!servesService(requestedService)) {
            return registryError(HttpStatus.BAD_REQUEST, "UNSUPPORTED", unknownService(requestedService), null);
        }
        List<Scope> scopes;
        try {
            scopes = Scope.parseAll(params(request, "scope"));
        } catch (IllegalArgumentException e) {
            return registryError(HttpStatus.BAD_REQUEST, "UNSUPPORTED", e.getMessage(), null);
        }
        Caller caller = Caller.ANONYMOUS;
        String[] basic = basicCredentials(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (basic != null) {
            try {
                caller = signIn.withPassword(basic[0], basic[1], request.getRemoteAddr(), DOOR);
            } catch (SignInException e) {
                return e.throttled()
                        ? registryError(HttpStatus.TOO_MANY_REQUESTS, "TOOMANYREQUESTS", e.getMessage(), e.retryAfterSeconds())
                        : unauthorized(e.getMessage());
            }
        }
        RegistryTokens.IssuedToken issued = tokens.issue(caller, scopes, "true".equalsIgnoreCase(offlineToken), clientId);
        return ok(issued.response());
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<?> post(HttpServletRequest request,
                           @RequestParam(name = "grant_type", required = false) String grantType,
                           @RequestParam(name = "client_id", required = false) String clientId,
                           @RequestParam(name = "access_type", required = false) String accessType,
                           @RequestParam(name = "username", required = false) String username,
                           @RequestParam(name = "password", required = false) String password,
                           @RequestParam(name = "refresh_token", required = false) String refreshToken,
                           @RequestParam(name = "service", required = false) String requestedService) {
        if (clientId == null || clientId.isBlank()) {
            return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "client_id is required", null);
        }
        if (!servesService(requestedService)) {
            return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", unknownService(requestedService), null);
        }
        List<Scope> scopes;
        try {
            scopes = Scope.parseAll(params(request, "scope"));
        } catch (IllegalArgumentException e) {
            return oauthError(HttpStatus.BAD_REQUEST, "invalid_scope", e.getMessage(), null);
        }
        Caller caller;
        boolean offline;
        try {
            if ("password".equals(grantType)) {
                if (username == null || password == null) {
                    return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "the password grant needs username and password", null);
                }
                caller = signIn.withPassword(username, password, request.getRemoteAddr(), DOOR);
                offline = "offline".equals(accessType);
            } else if ("refresh_token".equals(grantType)) {
                if (refreshToken == null) {
                    return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "the refresh_token grant needs refresh_token", null);
                }
                caller = signIn.withRefreshToken(refreshToken, request.getRemoteAddr(), DOOR);
                offline = false;
            } else {
                return oauthError(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                        "grant_type is password or refresh_token, not " + grantType, null);
            }
        } catch (SignInException e) {
            return e.throttled()
                    ? oauthError(HttpStatus.TOO_MANY_REQUESTS, "invalid_grant", e.getMessage(), e.retryAfterSeconds())
                    // RFC 6749 section 5.2: bad resource owner credentials or refresh token are invalid_grant, 400.
                    : oauthError(HttpStatus.BAD_REQUEST, "invalid_grant", e.getMessage(), null);
        }
        RegistryTokens.IssuedToken issued = tokens.issue(caller, scopes, offline, clientId);
        TokenResponse token = issued.response();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("scope", issued.grantedScope());
        body.put("expires_in", token.expiresIn());
        body.put("issued_at", token.issuedAt());
        if (token.refreshToken() != null) {
            body.put("refresh_token", token.refreshToken());
        } else if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        return ok(body);
    }

    /** No service named is this one: the token spec's clients always name it, curl users often do not. */
    private boolean servesService(String requested) {
        return requested == null || requested.isEmpty() || requested.equals(service);
    }

    private String unknownService(String requested) {
        return "this token server issues tokens for the service " + service + " only, not "
                + (requested.length() > 100 ? requested.substring(0, 100) + "..." : requested);
    }

    private static ResponseEntity<?> ok(Object body) {
        // RFC 6749 section 5.1: token responses must not be cached.
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache")
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static List<String> params(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null ? List.of() : Arrays.asList(values);
    }

    /** {@code Basic base64(user:secret)} → {user, secret}; null when absent or not basic. */
    static String[] basicCredentials(String authorization) {
        if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new String[] {"", ""};
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new String[] {decoded, ""} : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static ResponseEntity<?> registryError(HttpStatus status, String code, String message, Long retryAfter) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return error(status, Map.of("errors", List.of(error)), retryAfter);
    }

    /** RFC 9110 wants a challenge with every 401: the scheme this endpoint takes is Basic. */
    private static ResponseEntity<?> unauthorized(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "UNAUTHORIZED");
        error.put("message", message);
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).cacheControl(CacheControl.noStore())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"berth\", charset=\"UTF-8\"")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("errors", List.of(error)));
    }

    private static ResponseEntity<?> oauthError(HttpStatus status, String code, String description, Long retryAfter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return error(status, body, retryAfter);
    }

    private static ResponseEntity<?> error(HttpStatus status, Object body, Long retryAfter) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_JSON);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        return response.body(body);
    }
}
