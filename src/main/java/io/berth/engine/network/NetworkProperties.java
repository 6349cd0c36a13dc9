package io.berth.engine.network;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Engine's networking ({@code berth.engine.network.*}); config/application.yml documents each.
 *
 * @param bridgeName     the host bridge of the default {@code bridge} network (not docker0, which a dockerd on the same
 *                       machine uses)
 * @param bridgeSubnet   the default network's subnet; empty: the first block of {@code addressPools} that clashes with
 *                       no route of the host, chosen at the first start and kept
 * @param addressPools   where subnets come from when none is given: each base split into blocks of {@code size} bits
 * @param mtu            the MTU of bridges and container interfaces
 * @param namespaceDir   where containers' network namespaces are pinned (a bind mount per container)
 * @param runDir         the DNS servers' configuration (aardvark-dns, one per user network)
 * @param cniPluginDir   the CNI plugins (bridge, static); empty: /usr/lib/cni, then /opt/cni/bin
 * @param aardvarkDns    the aardvark-dns binary; empty: /usr/lib/podman/aardvark-dns, then /usr/libexec/podman/
 * @param chainPrefix    the prefix of the firewall chains Berth owns (two Engines on one machine need two prefixes)
 */
@ConfigurationProperties("berth.engine.network")
public record NetworkProperties(
        @DefaultValue("berth0") String bridgeName,
        @DefaultValue("") String bridgeSubnet,
        @DefaultValue({"172.17.0.0/16:16", "172.18.0.0/15:16", "172.20.0.0/14:16", "172.24.0.0/13:16",
                "192.168.0.0/16:20"}) List<String> addressPools,
        @DefaultValue("1500") int mtu,
        @DefaultValue("/run/berth/netns") Path namespaceDir,
        @DefaultValue("/run/berth/network") Path runDir,
        @DefaultValue("") String cniPluginDir,
        @DefaultValue("") String aardvarkDns,
        @DefaultValue("BERTH") String chainPrefix) {
}
