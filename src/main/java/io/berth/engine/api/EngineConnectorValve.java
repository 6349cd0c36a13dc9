package io.berth.engine.api;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Marks the requests that came in through an Engine connector (the unix socket, the optional TCP address). The
 * request itself cannot tell: on the unix connector Tomcat reports 127.0.0.1 and port 0, as for a local TCP client.
 * {@link EngineRequestFilter} keeps the Engine API and the Hub apart by this mark.
 */
public final class EngineConnectorValve extends ValveBase {

    /** Request attribute set (to {@code Boolean.TRUE}) on requests from an Engine connector. */
    public static final String ATTRIBUTE = EngineConnectorValve.class.getName() + ".engine";

    private final Set<Connector> connectors = Collections.newSetFromMap(new IdentityHashMap<>());

    EngineConnectorValve() {
        super(true);
    }

    void add(Connector connector) {
        connectors.add(connector);
    }

    /** Whether {@code request} came in through an Engine connector. */
    public static boolean isEngineRequest(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) != null;
    }

    /**
     * {@code /images/localhost:5000%2Fbusybox/json} (docker-java's spelling) becomes
     * {@code /images/localhost:5000/busybox/json} (the docker CLI's): the routing filters take image names with plain
     * slashes, and Spring Security's firewall refuses encoded ones. Tomcat has mapped the decoded path already.
     */
    private static void decodeEncodedSlashes(Request request) {
        String uri = request.getRequestURI();
        if (uri != null && (uri.contains("%2F") || uri.contains("%2f"))) {
            request.getCoyoteRequest().requestURI().setString(uri.replace("%2F", "/").replace("%2f", "/"));
        }
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (connectors.contains(request.getConnector())) {
            request.setAttribute(ATTRIBUTE, Boolean.TRUE);
            decodeEncodedSlashes(request);
        }
        getNext().invoke(request, response);
    }
}
