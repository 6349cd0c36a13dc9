package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.ContainerSummary;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.PortBinding;
import io.berth.engine.network.ContainerNetwork;
import io.berth.engine.network.PortMapping;
import io.berth.engine.network.PublishedPort;

/**
 * A container's ports: what it asks to publish ({@code -p}, {@code -P}: {@code HostConfig.PortBindings} and
 * {@code PublishAllPorts} over {@code Config.ExposedPorts}) and how inspect's {@code NetworkSettings.Ports} and the
 * PORTS column of {@code docker ps} show what a run got.
 */
final class PublishedPorts {

    private PublishedPorts() {
    }

    /**
     * The ports to publish: each binding of {@code PortBindings} (an empty host port: one from the ephemeral range),
     * and with {@code -P} every exposed port that has none, on an ephemeral port of every address.
     */
    static List<PortMapping> mappings(ContainerConfig config, HostConfig hostConfig) {
        Map<String, List<PortBinding>> bindings = new LinkedHashMap<>(hostConfig.portBindings() == null ? Map.of()
                : hostConfig.portBindings());
        if (hostConfig.publishAllPorts()) {
            for (String exposed : exposed(config)) {
                bindings.putIfAbsent(exposed, List.of(new PortBinding("", "")));
            }
        }
        List<PortMapping> mappings = new ArrayList<>();
        bindings.forEach((key, list) -> {
            ContainerPort port = ContainerPort.parse(key);
            for (PortBinding binding : list == null ? List.<PortBinding>of() : list) {
                mappings.add(new PortMapping(port.number(), port.protocol(), hostIp(binding.hostIp()),
                        hostPort(binding.hostPort())));
            }
        });
        return mappings;
    }

    /** Inspect's {@code NetworkSettings.Ports} of a run: every exposed or published port, null where not published. */
    static Map<String, List<PortBinding>> inspect(ContainerConfig config, ContainerNetwork live) {
        Map<String, List<PortBinding>> ports = new TreeMap<>();
        if (live == null) {
            return ports;
        }
        for (String exposed : exposed(config)) {
            ports.put(ContainerPort.parse(exposed).key(), null);
        }
        for (PublishedPort port : live.ports()) {
            String key = port.containerPort() + "/" + port.protocol();
            List<PortBinding> list = ports.get(key) == null ? new ArrayList<>() : new ArrayList<>(ports.get(key));
            list.add(new PortBinding(port.hostIp().toString(), Integer.toString(port.hostPort())));
            ports.put(key, list);
        }
        return ports;
    }

    /** The PORTS column of {@code docker ps}: published ports with their host side, exposed ones without. */
    static List<ContainerSummary.Port> summary(ContainerConfig config, ContainerNetwork live) {
        List<ContainerSummary.Port> ports = new ArrayList<>();
        if (live == null) {
            return ports;
        }
        inspect(config, live).forEach((key, bindings) -> {
            ContainerPort port = ContainerPort.parse(key);
            if (bindings == null) {
                ports.add(new ContainerSummary.Port(null, port.number(), 0, port.protocol()));
            } else {
                for (PortBinding binding : bindings) {
                    ports.add(new ContainerSummary.Port(binding.hostIp(), port.number(),
                            Integer.parseInt(binding.hostPort()), port.protocol()));
                }
            }
        });
        return ports;
    }

    private static List<String> exposed(ContainerConfig config) {
        return config.exposedPorts() == null ? List.of() : List.copyOf(config.exposedPorts().keySet());
    }

    /** dockerd's {@code 0.0.0.0} and the empty address both mean every address of the host. */
    private static String hostIp(String hostIp) {
        return hostIp == null || hostIp.equals("0.0.0.0") ? "" : hostIp;
    }

    private static int hostPort(String hostPort) {
        if (hostPort == null || hostPort.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(hostPort);
        } catch (NumberFormatException e) {
            throw new BerthException(INVALID, "invalid hostPort: " + hostPort
                    + (hostPort.contains("-") ? " (host port ranges are not supported by this Engine)" : ""));
        }
    }

    /** A key of {@code ExposedPorts} and {@code PortBindings}: {@code 80/tcp}, {@code 53/udp}, {@code 80}. */
    record ContainerPort(int number, String protocol) {

        static ContainerPort parse(String key) {
            int slash = key.indexOf('/');
            String number = slash < 0 ? key : key.substring(0, slash);
            String protocol = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            try {
                int port = Integer.parseInt(number);
                if (port < 1 || port > 65535 || !List.of("tcp", "udp", "sctp").contains(protocol)) {
                    throw new NumberFormatException();
                }
                return new ContainerPort(port, protocol);
            } catch (NumberFormatException e) {
                throw new BerthException(INVALID, "invalid port specification: \"" + key + "\"");
            }
        }

        String key() {
            return number + "/" + protocol;
        }
    }
}
