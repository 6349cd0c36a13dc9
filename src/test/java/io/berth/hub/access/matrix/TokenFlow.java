package io.berth.hub.access.matrix;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.berth.support.BearerChallenge;
import io.berth.support.RegistryClient;

/**
 * One actor's side of the Docker token protocol, as docker runs it: send the request, and on a Bearer challenge send
 * it again with a token for the scopes the challenge names. Tokens are kept per scope set, so that a refused request
 * does not cost a fresh sign-in (a password check is slow by design, and the matrix makes hundreds of requests).
 */
public final class TokenFlow {

    /** The token spec's shortest lifetime: a token is reused no longer than this, whatever Berth is configured to. */
    private static final Duration REUSE = Duration.ofSeconds(60);

    private final RegistryClient credentials;
    private final RegistryClient raw;
    private final Map<List<String>, Cached> tokens = new ConcurrentHashMap<>();

    private record Cached(String token, Instant fetched) {
    }

    /**
     * @param credentials fetches tokens with the actor's credentials (or none) and sends requests with them
     * @param raw         sends requests without any token
     */
    public TokenFlow(RegistryClient credentials, RegistryClient raw) {
        this.credentials = credentials;
        this.raw = raw;
    }

    public HttpResponse<byte[]> send(Request request) {
        if (request.tokenScopes() != null) {
            return withToken(token(request.tokenScopes()), request);
        }
        HttpResponse<byte[]> first = raw.send(request.method(), request.path(), request.body(), request.headerArray());
        Optional<BearerChallenge> challenge = BearerChallenge.of(first);
        if (first.statusCode() != 401 || challenge.isEmpty()) {
            return first;
        }
        return withToken(token(challenge.get().scopes()), request);
    }

    /** A token for the scopes, from the token endpoint or, while it is fresh, from an earlier request. */
    public String token(List<String> scopes) {
        List<String> key = List.copyOf(scopes);
        Cached cached = tokens.get(key);
        if (cached == null || cached.fetched().plus(REUSE).isBefore(Instant.now())) {
            cached = new Cached(credentials.token(key.toArray(String[]::new)), Instant.now());
            tokens.put(key, cached);
        }
        return cached.token();
    }

    private HttpResponse<byte[]> withToken(String token, Request request) {
        return credentials.sendWithToken(token, request.method(), request.path(), request.body(), request.headerArray());
    }
}
