package io.berth.hub.access;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import io.berth.hub.access.token.Challenge;
import io.berth.hub.access.token.InvalidTokenException;
import io.berth.hub.access.token.Scope;
import io.berth.hub.access.token.VerifiedToken;

/**
 * The resource-server half of the Docker token protocol, in front of every {@code /v2/} request: no token, or one
 * that is not valid, gets {@code 401} with a {@code Bearer} challenge naming the token endpoint and the scope the
 * request needs; a valid token that lacks the scope gets {@code 401} with {@code error="insufficient_scope"}.
 *
 * <p>Everything about a repository follows from the token: a token grants nothing on a private repository the caller
 * may not read, exactly as on one that does not exist, so both answer alike here.
 */
final class RegistryTokenFilter extends OncePerRequestFilter {

    private final VerifiedTokens tokens;
    private final String service;
    private final String configuredRealm;
    private final JsonResponses responses;

    RegistryTokenFilter(VerifiedTokens tokens, String service, String configuredRealm, JsonResponses responses) {
        this.tokens = tokens;
        this.responses = responses;
        this.service = service;
        this.configuredRealm = configuredRealm == null || configuredRealm.isBlank() ? null : configuredRealm;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (!path.startsWith("/v2/")) {
            chain.doFilter(request, response); // /v2 itself only redirects to /v2/
            return;
        }
        RegistryRoute route = RegistryRoute.of(path);
        List<Scope> required = requiredScopes(route, request.getMethod());
        if (required == null) {
            invalidName(request, response, route.repository());
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            deny(request, response, challenge(request).bearer(withMountSource(required, route, request)), "UNAUTHORIZED",
                    "authentication required", required);
            return;
        }
        VerifiedToken token;
        try {
            token = tokens.verify(authorization.substring(7).strip());
        } catch (InvalidTokenException e) {
            deny(request, response, challenge(request).invalidToken(withMountSource(required, route, request)), "UNAUTHORIZED",
                    "authentication required", required);
            return;
        }
        for (Scope scope : required) {
            for (String action : scope.actions()) {
                if (!token.permits(scope.type(), scope.name(), action)) {
                    deny(request, response, challenge(request).insufficientScope(withMountSource(required, route, request)), "DENIED",
                            "requested access to the resource is denied", required);
                    return;
                }
            }
        }
        request.setAttribute(RegistryRequests.TOKEN_ATTRIBUTE, token);
        SecurityContextHolder.getContext().setAuthentication(
                new PrincipalAuthentication(token.subject(), token.subject(), AuthorityUtils.NO_AUTHORITIES));
        chain.doFilter(request, response);
    }

    /**
     * The scopes a challenge names: the required ones, and for a cross-repository mount also pull on the source, as
     * the reference registry asks, so that a client that only follows challenges can mount. Pull on the source is not
     * required: without it the mount falls back to an upload, as for a source that does not exist.
     */
    private static List<Scope> withMountSource(List<Scope> required, RegistryRoute route, HttpServletRequest request) {
        if (route.kind() != RegistryRoute.Kind.UPLOAD_START || !"POST".equals(request.getMethod())) {
            return required;
        }
        // The query string alone: a monolithic upload's body may be labelled as a form, and must not be read here.
        String from = null;
        boolean mount = false;
        String query = request.getQueryString();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("from=")) {
                try {
                    from = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return required; // a malformed escape names no repository
                }
            } else if (pair.startsWith("mount=")) {
                mount = true;
            }
        }
        if (!mount || from == null || from.equals(route.repository())) {
            return required;
        }
        try {
            List<Scope> scopes = new ArrayList<>(required);
            scopes.add(Scope.repository(from, "pull"));
            return scopes;
        } catch (IllegalArgumentException e) {
            return required; // not a repository name: nothing to mount from, the upload goes on
        }
    }

    private static List<Scope> requiredScopes(RegistryRoute route, String method) {
        if (route.kind() == RegistryRoute.Kind.CATALOG) {
            return List.of(new Scope("registry", null, "catalog", Set.of("*")));
        }
        List<String> actions = route.requiredActions(method);
        if (actions.isEmpty()) {
            return List.of();
        }
        // The name is checked as sent: a valid one never needs percent-encoding, and an encoded one would be decoded
        // into another name by the time a controller sees it, after this check was made on the encoded form.
        if (route.repository().indexOf('%') >= 0) {
            return null;
        }
        try {
            return List.of(Scope.repository(route.repository(), actions.toArray(String[]::new)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A name that is not a repository name is refused here, before anything could be authorized for it, with the
     * error the API gives any malformed name; it tells nothing of any repository.
     */
    private void invalidName(HttpServletRequest request, HttpServletResponse response, String name)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "NAME_INVALID");
        error.put("message", "invalid repository name");
        error.put("detail", Map.of("name", name));
        registryHeaders(response);
        responses.write(request, response, HttpServletResponse.SC_BAD_REQUEST, Map.of("errors", List.of(error)));
    }

    private Challenge challenge(HttpServletRequest request) {
        String realm = configuredRealm != null ? configuredRealm
                : ServletUriComponentsBuilder.fromContextPath(request).path("/token").build().toUriString();
        return new Challenge(realm, service);
    }

    /**
     * The OCI error body, with the reference registry's detail: the access each required scope asks for. It names
     * only what the client itself asked for, so it tells nothing of whether the repository exists.
     */
    private void deny(HttpServletRequest request, HttpServletResponse response, String challenge, String code,
                             String message, List<Scope> required) throws IOException {
        List<Map<String, String>> detail = new ArrayList<>();
        for (Scope scope : required) {
            for (String action : scope.actions()) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("Type", scope.type());
                entry.put("Class", "");
                entry.put("Name", scope.name());
                entry.put("Action", action);
                detail.add(entry);
            }
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("detail", detail);
        response.setHeader("WWW-Authenticate", challenge);
        registryHeaders(response);
        responses.write(request, response, HttpServletResponse.SC_UNAUTHORIZED, Map.of("errors", List.of(error)));
    }

    /** What every Distribution API answer carries, this filter's refusals too. */
    private static void registryHeaders(HttpServletResponse response) {
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
