package io.berth.hub.distribution;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.berth.common.RoutedRequest;
import io.berth.hub.access.RegistryRoute;

/**
 * Front of the Distribution API. Adds the headers every {@code /v2/} response carries, redirects {@code /v2} to
 * {@code /v2/}, and makes repository names routable: a name has any number of slashes ({@code a/b/c}), which
 * no path pattern can match before a fixed suffix, so the name is re-encoded as one path segment
 * ({@code a%2Fb%2Fc}) and the controllers map {@code /v2/{name}/manifests/{reference}} and the like.
 */
@Component
@Order(DistributionFilter.ORDER)
class DistributionFilter extends OncePerRequestFilter {

    /**
     * After Spring Security's filter chain (order -100): security sees the path as the client sent it, with the
     * repository name's slashes intact, rather than the rewritten one whose encoded slashes its firewall refuses.
     */
    static final int ORDER = -90;

    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/v2") || path.startsWith("/v2/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(API_VERSION_HEADER, "registry/2.0");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getRequestURI();
        if (path.equals("/v2")) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", "/v2/");
            return;
        }
        chain.doFilter(routable(request, path), response);
    }

    private static HttpServletRequest routable(HttpServletRequest request, String path) {
        RegistryRoute route = RegistryRoute.of(path);
        if (route.repository() == null) {
            return new RegistryRequest(request, path);
        }
        return new RegistryRequest(request, "/v2/" + route.repository().replace("/", "%2F") + route.suffix());
    }

    /**
     * The request with the routable path, and with parameters taken from the query string alone: blob bodies are
     * bytes, even when a client labels them {@code application/x-www-form-urlencoded} (curl does), and must never
     * be consumed as form fields.
     */
    private static final class RegistryRequest extends RoutedRequest {

        private final Map<String, String[]> parameters;

        RegistryRequest(HttpServletRequest request, String requestUri) {
            super(request, requestUri);
            this.parameters = queryParameters(request.getQueryString());
        }

        private static Map<String, String[]> queryParameters(String query) {
            Map<String, String[]> result = new LinkedHashMap<>();
            if (query == null || query.isEmpty()) {
                return Collections.unmodifiableMap(result);
            }
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                result.merge(key, new String[] {value}, (a, b) -> {
                    String[] merged = Arrays.copyOf(a, a.length + 1);
                    merged[a.length] = b[0];
                    return merged;
                });
            }
            return Collections.unmodifiableMap(result);
        }

        private static String decode(String value) {
            try {
                return URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return value; // a malformed escape: keep it as sent, validation will refuse it
            }
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
    }
}
