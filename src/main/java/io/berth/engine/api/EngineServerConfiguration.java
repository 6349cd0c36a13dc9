package io.berth.engine.api;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;

/**
 * The Engine API is served by the application's Tomcat, on connectors of its own: the unix socket
 * ({@code berth.engine.socket}, mode 0660, root's, as dockerd's) and, when {@code berth.engine.tcp} is set, a TCP
 * address (loopback unless {@code berth.engine.allow-remote-tcp}). A valve marks the requests of these connectors;
 * {@link EngineRequestFilter} keeps the Engine API on them and the Hub off them. The management server runs in a child
 * context that does not see this customizer, so it never gets these connectors.
 */
@Configuration(proxyBeanMethods = false)
@OnEngine
class EngineServerConfiguration {

    /** Owner and group may connect, as with dockerd's socket; the group can be changed after start. */
    static final String SOCKET_PERMISSIONS = "rw-rw----";

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> engineConnectors(EngineProperties engine) {
        return factory -> {
            EngineConnectorValve valve = new EngineConnectorValve();
            EngineSocket.prepare(engine.socket());
            Connector unix = connector();
            unix.setProperty("unixDomainSocketPath", engine.socket().toAbsolutePath().toString());
            unix.setProperty("unixDomainSocketPathPermissions", SOCKET_PERMISSIONS);
            valve.add(unix);
            factory.addAdditionalConnectors(unix);
            if (engine.tcp() != null && !engine.tcp().isBlank()) {
                EngineTcpAddress address = EngineTcpAddress.parse(engine.tcp(), engine.allowRemoteTcp());
                Connector tcp = connector();
                tcp.setPort(address.port());
                tcp.setProperty("address", address.address().getHostAddress());
                valve.add(tcp);
                factory.addAdditionalConnectors(tcp);
            }
            factory.addContextValves(valve);
        };
    }

    private static Connector connector() {
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        // Image loads and builds send large bodies; an early error must not leave the client stuck mid-upload.
        connector.setProperty("maxSwallowSize", "-1");
        // Idle, the Engine's connector keeps only a couple of threads (Tomcat's default is 10), as the Hub's does.
        connector.setProperty("minSpareThreads", "2");
        // docker-java (Testcontainers) sends image names with their slashes encoded (/images/host%3A5000%2Fbusybox/json),
        // which Tomcat refuses by default; Docker accepts both spellings. EngineConnectorValve then un-encodes them.
        connector.setEncodedSolidusHandling("decode");
        return connector;
    }
}
