package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;

import io.berth.hub.access.token.VerifiedToken;

/** What the authorization in front of the Distribution API leaves on a request it let through. */
public final class RegistryRequests {

    /** The request attribute holding the request's {@link VerifiedToken}. */
    public static final String TOKEN_ATTRIBUTE = RegistryRequests.class.getName() + ".token";

    private RegistryRequests() {
    }

    /** The token the request carried; every request that reaches a Distribution controller has one. */
    public static VerifiedToken token(HttpServletRequest request) {
        Object token = request.getAttribute(TOKEN_ATTRIBUTE);
        if (!(token instanceof VerifiedToken verified)) {
            throw new IllegalStateException("a registry request got past authorization without a token");
        }
        return verified;
    }
}
