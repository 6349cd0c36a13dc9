package io.berth.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kernel settings bridge networking needs, set when the first network comes up and said so in the log. */
final class Sysctls {

    private static final Logger log = LoggerFactory.getLogger(Sysctls.class);

    private final Path procSys;

    Sysctls(Path procSys) {
        this.procSys = procSys;
    }

    /** Forwarding between interfaces: without it no container reaches past its bridge. */
    void enableForwarding() throws IOException {
        if (set("net/ipv4/ip_forward", "1")) {
            log.info("Set net.ipv4.ip_forward to 1 (it was 0): containers on bridge networks reach other networks "
                    + "through the host");
        }
    }

    /**
     * Lets packets from 127.0.0.1 be routed onto the bridge, so that a port published on the host's loopback reaches
     * the container (the firewall drops such packets coming the other way).
     */
    void enableLocalnetRouting(String bridge) throws IOException {
        set("net/ipv4/conf/" + bridge + "/route_localnet", "1");
    }

    /** Sets a value; true when it changed. */
    private boolean set(String name, String value) throws IOException {
        Path file = procSys.resolve(name);
        if (Files.readString(file).trim().equals(value)) {
            return false;
        }
        Files.writeString(file, value);
        return true;
    }
}
