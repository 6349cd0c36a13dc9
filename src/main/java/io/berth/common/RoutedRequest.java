package io.berth.common;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request seen under another path. Repository names hold slashes, which no path pattern can match before a fixed
 * suffix; the filters in front of the registry and the REST API re-encode a name as one path segment and pass the
 * request on under that path, for the controllers' patterns to match.
 */
public class RoutedRequest extends HttpServletRequestWrapper {

    private final String requestUri;

    public RoutedRequest(HttpServletRequest request, String requestUri) {
        super(request);
        this.requestUri = requestUri;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public String getServletPath() {
        return requestUri;
    }

    @Override
    public String getPathInfo() {
        return null;
    }
}
