package io.berth.hub.access;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;

/**
 * Which pages of the web UI are for whom, and where a browser goes when it is not signed in. Paths rather than
 * annotations on controllers: the Engine's node page and the operators' dashboard live in packages of their own and
 * are closed here all the same.
 */
final class WebUiPaths {

    /** Pages only administrators of the Hub see: the admin pages, the node (Engine) page, the dashboard. */
    static final String[] ADMINISTRATORS = {"/admin", "/admin/**", "/node", "/node/**", "/dashboard", "/dashboard/**"};

    /** Pages of one's own account: tokens, organisations one belongs to, settings. */
    static final String[] SIGNED_IN = {"/account", "/account/**"};

    /**
     * Scripts and styles from this origin only, none inline; images also from https (README badges). No framing
     * (clickjacking) and forms that post nowhere else.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private WebUiPaths() {
    }

    /** Sends a browser that is not signed in to the sign-in page, which brings it back here afterwards. */
    static void sendToSignIn(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String back = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String target = "GET".equals(request.getMethod())
                ? "/sign-in?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8)
                : "/sign-in";
        response.sendRedirect(request.getContextPath() + target);
    }

    /**
     * Where to go after signing in: a path of this site, or the front page. Anything else ({@code //evil.example},
     * {@code https://...}, {@code /\evil}) would make the sign-in page an open redirect.
     */
    static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.charAt(0) != '/' || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}
