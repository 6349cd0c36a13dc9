package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineTcpAddressTest {

    @Test
    void loopbackAddressesAreAccepted() {
        assertThat(EngineTcpAddress.parse("127.0.0.1:2375", false).port()).isEqualTo(2375);
        assertThat(EngineTcpAddress.parse("tcp://127.0.0.1:2375", false).address().isLoopbackAddress()).isTrue();
        assertThat(EngineTcpAddress.parse("[::1]:2375", false).address().isLoopbackAddress()).isTrue();
    }

    @Test
    void otherAddressesAreRefusedUnlessAllowed() {
        assertThatThrownBy(() -> EngineTcpAddress.parse("0.0.0.0:2375", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("berth.engine.tcp=0.0.0.0:2375 refused")
                .hasMessageContaining("berth.engine.allow-remote-tcp=true");
        assertThatThrownBy(() -> EngineTcpAddress.parse("10.1.2.3:2375", false))
                .hasMessageContaining("not a loopback address");
        assertThat(EngineTcpAddress.parse("0.0.0.0:2375", true).port()).isEqualTo(2375);
    }

    @Test
    void malformedAddressesAreRefused() {
        assertThatThrownBy(() -> EngineTcpAddress.parse("127.0.0.1", false)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> EngineTcpAddress.parse("127.0.0.1:x", false)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> EngineTcpAddress.parse("127.0.0.1:70000", false)).hasMessageContaining("65535");
    }
}
