package io.berth.hub.access.token;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The {@code WWW-Authenticate} values of a registry that wants a bearer token (RFC 6750 section 3, as the Docker
 * token spec uses it): {@code Bearer realm="<token endpoint>",service="<service>",scope="<scope> <scope>"}, with an
 * {@code error} when a token was sent but does not do.
 *
 * @param realm   the URL of the token endpoint
 * @param service the service name clients pass back to the token endpoint, and the audience of its tokens
 */
public record Challenge(String realm, String service) {

    public Challenge {
        requireHeaderSafe("realm", realm);
        requireHeaderSafe("service", service);
    }

    /** No token, or one that is not needed to say more about: authenticate and come back with a token for these scopes. */
    public String bearer(Collection<Scope> scopes) {
        return header(scopes, null);
    }

    /** The token sent is not valid (malformed, expired, signed by another key...). */
    public String invalidToken(Collection<Scope> scopes) {
        return header(scopes, "invalid_token");
    }

    /** The token is valid but does not grant these scopes. */
    public String insufficientScope(Collection<Scope> scopes) {
        return header(scopes, "insufficient_scope");
    }

    private String header(Collection<Scope> scopes, String error) {
        StringBuilder header = new StringBuilder("Bearer realm=").append(quoted(realm)).append(",service=").append(quoted(service));
        if (!scopes.isEmpty()) {
            // One scope parameter holding them all, space-separated, as RFC 6750 defines scope.
            header.append(",scope=").append(quoted(scopes.stream().map(Scope::toString).collect(Collectors.joining(" "))));
        }
        if (error != null) {
            header.append(",error=").append(quoted(error));
        }
        return header.toString();
    }

    /** An RFC 9110 quoted-string: backslash and double quote are escaped with a backslash. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    // Control characters cannot be quoted at all, and a line break would end the header: refuse them outright.
    private static void requireHeaderSafe(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a challenge needs a " + what);
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the challenge " + what + " holds a control character");
        }
    }
}
