package io.berth.engine.network;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.BerthProperties;
import io.berth.engine.OnEngine;

/**
 * Puts the Engine's networking together from what this machine has ({@link BridgeTools}), and says in one log line at
 * start what that is: bridge networks, or {@code none} and {@code host} only and what is missing for more.
 */
@Configuration(proxyBeanMethods = false)
@OnEngine
class NetworkConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NetworkConfiguration.class);

    @Bean(destroyMethod = "close")
    NetworkService networkService(NetworkProperties properties, BerthProperties berth, JsonMapper json, Clock clock,
            ObjectProvider<NetworkEventListener> listeners) {
        BridgeTools tools = BridgeTools.find(properties);
        log.info("Networking: {}", tools.describe());
        return create(properties, berth.dataDir().resolve("engine").resolve("networks"), tools, json, clock,
                listeners.orderedStream().toList());
    }

    /** The service and its parts, for a data directory and the tools found. */
    static NetworkService create(NetworkProperties properties, Path storeDir, BridgeTools tools, JsonMapper json,
            Clock clock, java.util.List<NetworkEventListener> listeners) {
        NetworkStore store = new FileNetworkStore(storeDir, json);
        SubnetChooser chooser = new SubnetChooser(properties.addressPools(), Path.of("/proc/net/route"),
                Path.of("/etc/resolv.conf"));
        NetworkRegistry registry = new NetworkRegistry(store, chooser, properties, clock);
        NetworkNamespaces namespaces = new NetworkNamespaces(properties.namespaceDir());
        CniBridge cni = tools.cniPluginDir() == null ? null : new CniBridge(tools.cniPluginDir(), json);
        Firewall firewall = tools.bridgeAvailable()
                ? new Firewall(properties.chainPrefix(), tools.iptablesRestore(), tools.iptablesSave()) : null;
        AardvarkDns dns = tools.dnsAvailable()
                ? new AardvarkDns(tools.aardvarkDns(), properties.runDir().resolve("dns")) : null;
        BridgeWiring wiring = new BridgeWiring(cni, firewall, dns, new Sysctls(Path.of("/proc/sys")),
                registry::bridges);
        PortReservations ports = new PortReservations(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        return new NetworkService(registry, store, namespaces, wiring, ports,
                tools.bridgeAvailable() ? null : tools.missing(), listeners);
    }
}
