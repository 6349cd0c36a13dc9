package io.berth.hub.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.berth.common.RoutedRequest;

/**
 * Makes repository names routable in the REST API. A name has any number of slashes ({@code acme/team/api}) and its
 * sub-resources follow a {@code /-/} separator ({@code /api/v1/repositories/acme/team/api/-/tags}), which no name can
 * contain; no path pattern can match a many-segment name before a fixed suffix, so the name is re-encoded as one
 * segment ({@code acme%2Fteam%2Fapi}) and the controller maps {@code /api/v1/repositories/{name}/-/tags}.
 */
@Component
@Order(RepositoryPathFilter.ORDER)
class RepositoryPathFilter extends OncePerRequestFilter {

    /**
     * After Spring Security's filter chain (order -100): security sees the path as the client sent it, rather than
     * the rewritten one whose encoded slashes its firewall refuses.
     */
    static final int ORDER = -90;

    private static final String PREFIX = "/api/v1/repositories/";
    private static final String SEPARATOR = "/-/";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith(PREFIX) || path.length() == PREFIX.length();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String rest = request.getRequestURI().substring(PREFIX.length());
        int separator = rest.indexOf(SEPARATOR);
        String name = separator < 0 ? rest : rest.substring(0, separator);
        String suffix = separator < 0 ? "" : rest.substring(separator);
        chain.doFilter(new RoutedRequest(request, PREFIX + name.replace("/", "%2F") + suffix), response);
    }
}
