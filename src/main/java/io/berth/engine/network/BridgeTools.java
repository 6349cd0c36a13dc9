package io.berth.engine.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the programs bridge networking drives: the CNI {@code bridge} and {@code static} plugins
 * (containernetworking-plugins), {@code iptables-restore} and {@code iptables-save} (iptables), and aardvark-dns
 * (aardvark-dns, for names on user networks). Without the first two, containers run with {@code none} and
 * {@code host} only; without aardvark-dns, user networks work without names.
 */
record BridgeTools(Path cniPluginDir, Path iptablesRestore, Path iptablesSave, Path aardvarkDns, String missing) {

    private static final List<String> CNI_DIRS = List.of("/usr/lib/cni", "/opt/cni/bin", "/usr/libexec/cni");
    private static final List<String> AARDVARK = List.of("/usr/lib/podman/aardvark-dns",
            "/usr/libexec/podman/aardvark-dns", "/usr/local/libexec/podman/aardvark-dns");
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    static BridgeTools find(NetworkProperties properties) {
        List<String> missing = new ArrayList<>();
        Path cni = (properties.cniPluginDir().isEmpty() ? CNI_DIRS : List.of(properties.cniPluginDir())).stream()
                .map(Path::of).filter(dir -> executable(dir.resolve("bridge")) && executable(dir.resolve("static")))
                .findFirst().orElse(null);
        if (cni == null) {
            missing.add("the CNI bridge and static plugins (apt-get install containernetworking-plugins)");
        }
        Path restore = inSbin("iptables-restore").orElse(null);
        Path save = inSbin("iptables-save").orElse(null);
        if (restore == null || save == null) {
            missing.add("iptables-restore and iptables-save (apt-get install iptables)");
        }
        Path aardvark = (properties.aardvarkDns().isEmpty() ? AARDVARK : List.of(properties.aardvarkDns())).stream()
                .map(Path::of).filter(BridgeTools::executable).findFirst().orElse(null);
        return new BridgeTools(cni, restore, save, aardvark, missing.isEmpty() ? null : String.join(", ", missing));
    }

    boolean bridgeAvailable() {
        return missing == null;
    }

    boolean dnsAvailable() {
        return aardvarkDns != null;
    }

    /** One line for the Engine's start-up log. */
    String describe() {
        if (!bridgeAvailable()) {
            return "none and host only: bridge networking needs " + missing;
        }
        return "bridge networks through the CNI bridge plugin (" + cniPluginDir + "), firewall through "
                + iptablesRestore + ", "
                + (dnsAvailable() ? "names on user networks through " + aardvarkDns
                        : "no names on user networks (aardvark-dns missing: apt-get install aardvark-dns)");
    }

    private static Optional<Path> inSbin(String tool) {
        return SBIN.stream().map(dir -> Path.of(dir, tool)).filter(BridgeTools::executable).findFirst();
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
