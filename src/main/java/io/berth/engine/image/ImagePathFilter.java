package io.berth.engine.image;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.berth.common.RoutedRequest;
import io.berth.engine.OnEngine;

/**
 * Makes image names routable: {@code /images/localhost:5000/library/busybox:latest/json} has a name with slashes
 * before a fixed suffix, which no path pattern matches. The name is re-encoded as one segment
 * ({@code localhost:5000%2Flibrary%2Fbusybox:latest}) for {@link ImagesController}'s {@code /images/{name}/...}.
 * Runs after the Engine's own filter has stripped the {@code /v1.NN} prefix.
 */
@Component
@OnEngine
@Order(ImagePathFilter.ORDER)
class ImagePathFilter extends OncePerRequestFilter {

    /** After Spring Security (-100) and the Engine's version filter (-110), like the Hub's path filter (-90). */
    static final int ORDER = -80;

    /** Where {@code POST /images/{name}/push} is routed to, with the name in the request attribute below. */
    static final String PUSH_PATH = "/images/push";
    static final String PUSHED_NAME = "io.berth.engine.image.pushedName";

    private static final Pattern SUB_RESOURCE = Pattern.compile("^/images/(.+)/(json|history|tag|push|get)$");
    private static final Pattern BARE = Pattern.compile("^/images/(.+)$");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/images/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Matcher sub = SUB_RESOURCE.matcher(path);
        if (sub.matches() && sub.group(2).equals("push") && "POST".equals(request.getMethod())) {
            // A push streams its answer, which ends in an asynchronous dispatch of the routed request; Spring
            // Security's firewall refuses that one if its path holds an encoded slash. So the name travels aside.
            request.setAttribute(PUSHED_NAME, sub.group(1));
            chain.doFilter(new RoutedRequest(request, PUSH_PATH), response);
            return;
        }
        if (sub.matches()) {
            chain.doFilter(new RoutedRequest(request, "/images/" + encode(sub.group(1)) + "/" + sub.group(2)),
                    response);
            return;
        }
        Matcher bare = BARE.matcher(path);
        if ("DELETE".equals(request.getMethod()) && bare.matches()) {
            chain.doFilter(new RoutedRequest(request, "/images/" + encode(bare.group(1))), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String encode(String name) {
        return name.replace("/", "%2F");
    }
}
