package io.berth.hub.web.repository;

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
 * Makes repository names routable in the web UI, as {@code RepositoryPathFilter} does for the REST API: the name of
 * {@code /r/acme/team/api/-/tags/1.0} is re-encoded as one segment ({@code /r/acme%2Fteam%2Fapi/-/tags/1.0}) for the
 * page controller's patterns; see {@link RepositoryPagePaths} for which paths name what.
 */
@Component
@Order(RepositoryPagePathFilter.ORDER)
class RepositoryPagePathFilter extends OncePerRequestFilter {

    /** After Spring Security (order -100), which sees the path the browser sent rather than the re-encoded one. */
    static final int ORDER = -90;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith(RepositoryPagePaths.PREFIX) || path.length() == RepositoryPagePaths.PREFIX.length();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RepositoryPagePaths.Route route = RepositoryPagePaths.parse(
                request.getRequestURI().substring(RepositoryPagePaths.PREFIX.length()));
        String path = RepositoryPagePaths.PREFIX + route.name().replace("/", "%2F")
                + (route.subPage().isEmpty() ? "" : RepositoryPagePaths.SEPARATOR + route.subPage());
        chain.doFilter(new RoutedRequest(request, path), response);
    }
}
