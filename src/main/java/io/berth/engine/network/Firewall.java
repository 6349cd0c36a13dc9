package io.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Engine's packet filter and NAT rules, in chains of its own ({@code <prefix>-FORWARD}, {@code -DNAT}, ...)
 * jumped to from the built-in ones, written with {@code iptables-restore --noflush}: each change is one process and one
 * transaction per table, and each chain is written whole from the Engine's state (declaring a chain in the input
 * empties it first), so writing again after a restart neither duplicates nor loses a rule.
 *
 * <p>What the rules do, as dockerd's do for its bridges:
 * <ul>
 * <li>forward: replies and published-port traffic into a bridge, traffic between containers of one bridge, traffic
 *     from a bridge out (not for internal networks); drop traffic between two networks, and anything else into a
 *     bridge (a container is reached from outside through its published ports only);</li>
 * <li>masquerade what leaves a non-internal network, what the host sends into a bridge from a local address (127.0.0.1
 *     through a published port), and a container's traffic to its own network through a published port;</li>
 * <li>DNAT of each published port, for traffic to any local address (or the one given), from outside and from the
 *     host itself;</li>
 * <li>drop, before connection tracking, packets from a bridge for 127.0.0.0/8: published ports on 127.0.0.1 need
 *     {@code route_localnet} on the bridge, which would otherwise let a container reach the host's loopback
 *     services.</li>
 * </ul>
 *
 * <p>Chains are filled only once the first container of a bridge network comes up ({@link #networks}); until then the
 * host's firewall is left alone.
 */
final class Firewall {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String prefix;
    private final Path restore;
    private final Path save;
    private boolean installed;

    Firewall(String prefix, Path restore, Path save) {
        if (!prefix.matches("[A-Z][A-Z0-9_]{0,15}")) {
            throw new IllegalArgumentException("berth.engine.network.chain-prefix must be 1 to 16 capital letters, "
                    + "digits or '_', starting with a letter: " + prefix);
        }
        this.prefix = prefix;
        this.restore = restore;
        this.save = save;
    }

    String chain(String name) {
        return prefix + "-" + name;
    }

    /**
     * Writes the rules of the bridge networks (all of them: the chains are rewritten whole). The state is read under
     * the lock, so that of two writes at once the later one has the later state.
     */
    synchronized void networks(Supplier<? extends Collection<NetworkDefinition>> state) throws IOException {
        install();
        Collection<NetworkDefinition> networks = state.get();
        StringBuilder filter = table("filter", chain("FORWARD"), chain("ISOLATION-1"), chain("ISOLATION-2"));
        StringBuilder nat = table("nat", chain("POSTROUTING"));
        StringBuilder raw = table("raw", chain("PREROUTING"));
        String forward = chain("FORWARD");
        for (NetworkDefinition network : networks) {
            rule(filter, forward, "-o " + network.bridge() + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
            if (!network.internal()) {
                rule(filter, forward, "-o " + network.bridge() + " -m conntrack --ctstate DNAT -j ACCEPT");
            }
        }
        rule(filter, forward, "-j " + chain("ISOLATION-1"));
        for (NetworkDefinition network : networks) {
            String bridge = network.bridge();
            rule(filter, forward, "-i " + bridge + " -o " + bridge + " -j ACCEPT");
            if (!network.internal()) {
                rule(filter, forward, "-i " + bridge + " ! -o " + bridge + " -j ACCEPT");
            }
            rule(filter, forward, "-i " + bridge + " -j DROP");
            rule(filter, forward, "-o " + bridge + " -j DROP");
            rule(filter, chain("ISOLATION-1"), "-i " + bridge + " ! -o " + bridge + " -j " + chain("ISOLATION-2"));
            rule(filter, chain("ISOLATION-2"), "-o " + bridge + " -j DROP");

            String subnet = network.subnet().block().toString();
            if (!network.internal()) {
                rule(nat, chain("POSTROUTING"), "-s " + subnet + " ! -o " + bridge + " -j MASQUERADE");
            }
            rule(nat, chain("POSTROUTING"), "-o " + bridge + " -m addrtype --src-type LOCAL -j MASQUERADE");
            rule(nat, chain("POSTROUTING"), "-s " + subnet + " -o " + bridge
                    + " -m conntrack --ctstate DNAT -j MASQUERADE");
            rule(raw, chain("PREROUTING"), "-i " + bridge + " -d 127.0.0.0/8 -j DROP");
        }
        apply(commit(filter).append(commit(nat)).append(commit(raw)).toString());
    }

    /** Whether this Engine's chains are in the host's firewall (written by this run or an earlier one). */
    synchronized boolean present() throws IOException {
        return installed || saved().contains(":" + chain("FORWARD") + " - [0:0]");
    }

    /** Writes the DNAT rules of every published port of the node (the chain is rewritten whole, as above). */
    synchronized void ports(Supplier<? extends Collection<PublishedPort>> state) throws IOException {
        install();
        Collection<PublishedPort> ports = state.get();
        StringBuilder nat = table("nat", chain("DNAT"));
        for (PublishedPort port : ports) {
            String destination = port.hostIp().isUnspecified() ? "" : "-d " + port.hostIp() + "/32 ";
            rule(nat, chain("DNAT"), destination + "-p " + port.protocol() + " -m " + port.protocol() + " --dport "
                    + port.hostPort() + " -j DNAT --to-destination " + port.containerAddress() + ":"
                    + port.containerPort());
        }
        apply(commit(nat).toString());
    }

    /**
     * Creates the chains and the jumps to them that are missing, once per Engine: the host's firewall is read to see
     * what an earlier run left (a second jump would be harmless but untidy, and grow with every restart).
     */
    private void install() throws IOException {
        if (installed) {
            return;
        }
        List<String> current = saved();
        Set<String> chains = new HashSet<>();
        Set<String> jumps = new HashSet<>();
        String table = "";
        for (String line : current) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith(":" + prefix + "-")) {
                chains.add(table + " " + line.substring(1, line.indexOf(' ')));
            } else if (line.startsWith("-A ") && line.contains(" -j " + prefix + "-")) {
                String from = line.split(" ")[1];
                String to = line.substring(line.lastIndexOf(" -j ") + 4).trim();
                jumps.add(table + " " + from + " " + to);
            }
        }
        StringBuilder input = new StringBuilder();
        input.append(missing("filter", chains, jumps, List.of("FORWARD", "ISOLATION-1", "ISOLATION-2"),
                List.of(new Jump("FORWARD", "-I FORWARD 1 -j " + chain("FORWARD"), chain("FORWARD")))));
        input.append(missing("nat", chains, jumps, List.of("DNAT", "POSTROUTING"), List.of(
                new Jump("PREROUTING", "-A PREROUTING -m addrtype --dst-type LOCAL -j " + chain("DNAT"), chain("DNAT")),
                new Jump("OUTPUT", "-A OUTPUT -m addrtype --dst-type LOCAL -j " + chain("DNAT"), chain("DNAT")),
                new Jump("POSTROUTING", "-A POSTROUTING -j " + chain("POSTROUTING"), chain("POSTROUTING")))));
        input.append(missing("raw", chains, jumps, List.of("PREROUTING"), List.of(
                new Jump("PREROUTING", "-A PREROUTING -j " + chain("PREROUTING"), chain("PREROUTING")))));
        if (!input.isEmpty()) {
            apply(input.toString());
        }
        installed = true;
    }

    private record Jump(String from, String rule, String to) {
    }

    private String missing(String table, Set<String> chains, Set<String> jumps, List<String> ownChains,
            List<Jump> wanted) {
        StringBuilder input = new StringBuilder();
        for (String own : ownChains) {
            if (!chains.contains(table + " " + chain(own))) {
                input.append(':').append(chain(own)).append(" - [0:0]\n");
            }
        }
        for (Jump jump : wanted) {
            if (!jumps.contains(table + " " + jump.from() + " " + jump.to())) {
                input.append(jump.rule()).append('\n');
            }
        }
        return input.isEmpty() ? "" : "*" + table + "\n" + input + "COMMIT\n";
    }

    /** Removes every chain of this prefix and the jumps to them (the Engine's firewall footprint, gone). */
    synchronized void uninstall() throws IOException {
        List<String> current = saved();
        StringBuilder deleteJumps = new StringBuilder();
        StringBuilder flushChains = new StringBuilder();
        StringBuilder deleteChains = new StringBuilder();
        String table = null;
        List<String> tables = new ArrayList<>();
        for (String line : current) {
            if (line.startsWith("*")) {
                table = line.substring(1);
                tables.add(table);
            } else if (line.startsWith(":" + prefix + "-")) {
                String chain = line.substring(1, line.indexOf(' '));
                flushChains.append(table).append(' ').append("-F ").append(chain).append('\n');
                deleteChains.append(table).append(' ').append("-X ").append(chain).append('\n');
            } else if (line.startsWith("-A ") && line.contains(" -j " + prefix + "-")
                    && !line.split(" ")[1].startsWith(prefix + "-")) {
                deleteJumps.append(table).append(' ').append("-D").append(line.substring(2)).append('\n');
            }
        }
        StringBuilder input = new StringBuilder();
        for (String name : tables) {
            StringBuilder lines = new StringBuilder();
            for (StringBuilder part : List.of(deleteJumps, flushChains, deleteChains)) {
                for (String line : part.toString().split("\n")) {
                    if (line.startsWith(name + " ")) {
                        lines.append(line.substring(name.length() + 1)).append('\n');
                    }
                }
            }
            if (!lines.isEmpty()) {
                input.append('*').append(name).append('\n').append(lines).append("COMMIT\n");
            }
        }
        if (!input.isEmpty()) {
            apply(input.toString());
        }
        installed = false;
    }

    private static StringBuilder table(String name, String... chains) {
        StringBuilder input = new StringBuilder("*").append(name).append('\n');
        for (String chain : chains) {
            input.append(':').append(chain).append(" - [0:0]\n");
        }
        return input;
    }

    private static void rule(StringBuilder input, String chain, String rule) {
        input.append("-A ").append(chain).append(' ').append(rule).append('\n');
    }

    private static StringBuilder commit(StringBuilder input) {
        return input.append("COMMIT\n");
    }

    private List<String> saved() throws IOException {
        Subprocess.Result result = Subprocess.run(List.of(save.toString()), null, null, TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IOException(save.getFileName() + " failed: " + result.stderr());
        }
        return result.stdoutText().lines().toList();
    }

    private void apply(String input) throws IOException {
        Subprocess.Result result = Subprocess.run(List.of(restore.toString(), "--noflush", "-w", "10"), null,
                input.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IOException(restore.getFileName() + " failed: " + result.stderr() + "\n--- input ---\n" + input);
        }
    }
}
