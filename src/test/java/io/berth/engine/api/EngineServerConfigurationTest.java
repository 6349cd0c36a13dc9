package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import io.berth.engine.EngineProperties;

class EngineServerConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void unixSocketConnectorWithOwnerAndGroupPermissions() {
        TomcatServletWebServerFactory factory = customize(new EngineProperties(true, dir.resolve("e.sock"), null, false, "auto", List.of(), "native"));

        assertThat(factory.getAdditionalConnectors()).hasSize(1);
        Connector unix = factory.getAdditionalConnectors().get(0);
        assertThat(unix.getProperty("unixDomainSocketPath")).isEqualTo(dir.resolve("e.sock").toString());
        assertThat(unix.getProperty("unixDomainSocketPathPermissions")).isEqualTo("rw-rw----");
        assertThat(factory.getContextValves()).hasAtLeastOneElementOfType(EngineConnectorValve.class);
    }

    @Test
    void loopbackTcpConnector() {
        TomcatServletWebServerFactory factory = customize(
                new EngineProperties(true, dir.resolve("e.sock"), "127.0.0.1:2375", false, "auto", List.of(), "native"));

        assertThat(factory.getAdditionalConnectors()).hasSize(2);
        Connector tcp = factory.getAdditionalConnectors().get(1);
        assertThat(tcp.getPort()).isEqualTo(2375);
        assertThat(String.valueOf(tcp.getProperty("address"))).contains("127.0.0.1");
    }

    @Test
    void remoteTcpRefusedAtStartupUnlessAllowed() {
        assertThatThrownBy(() -> customize(new EngineProperties(true, dir.resolve("e.sock"), "0.0.0.0:2375", false, "auto", List.of(), "native")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("berth.engine.allow-remote-tcp=true");
        assertThat(customize(new EngineProperties(true, dir.resolve("e.sock"), "0.0.0.0:2375", true, "auto", List.of(), "native"))
                .getAdditionalConnectors()).hasSize(2);
    }

    private static TomcatServletWebServerFactory customize(EngineProperties engine) {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        new EngineServerConfiguration().engineConnectors(engine).customize(factory);
        return factory;
    }
}
