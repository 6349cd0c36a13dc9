package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.berth.common.error.BerthException;

/**
 * One IPv4 subnet of a network: the block, the gateway (the host bridge's address, the containers' default route and
 * DNS server) and, optionally, the narrower range container addresses are given from ({@code --ip-range}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subnet(Cidr block, Ipv4 gateway, Cidr ipRange) {

    public Subnet {
        if (block == null || gateway == null) {
            throw new BerthException(INVALID, "a subnet needs its block and gateway");
        }
    }

    /**
     * The subnet as a client asks for it, checked with dockerd's words: the gateway defaults to the first address
     * of the block (of the ip-range when there is one, as dockerd does).
     */
    public static Subnet of(String subnet, String gateway, String ipRange) {
        Cidr block = Cidr.parseBlock(subnet, "subnet");
        if (block.prefix() > 30) {
            throw new BerthException(INVALID, "invalid subnet " + subnet + ": too small for a bridge network "
                    + "(at most /30)");
        }
        Cidr range = null;
        if (ipRange != null && !ipRange.isEmpty()) {
            range = Cidr.parseBlock(ipRange, "ip-range");
            if (range.prefix() < block.prefix()) {
                throw new BerthException(INVALID, "invalid ip-range " + ipRange
                        + ": CIDR block is bigger than its parent subnet " + subnet);
            }
            if (!block.contains(range)) {
                throw new BerthException(INVALID, "invalid ip-range " + ipRange + ": parent subnet " + subnet
                        + " doesn't contain ip-range");
            }
        }
        Ipv4 gatewayAddress;
        if (gateway == null || gateway.isEmpty()) {
            gatewayAddress = (range == null ? block : range).network().plus(1);
        } else {
            gatewayAddress = Ipv4.parseOrNull(gateway);
            if (gatewayAddress == null) {
                throw new BerthException(INVALID, "invalid gateway " + gateway + ": ParseAddr(\"" + gateway
                        + "\"): unable to parse IP");
            }
            if (!block.contains(gatewayAddress)) {
                throw new BerthException(INVALID, "invalid gateway " + gateway + ": parent subnet " + subnet
                        + " doesn't contain this address");
            }
        }
        if (gatewayAddress.equals(block.network()) || gatewayAddress.equals(block.broadcast())) {
            throw new BerthException(INVALID, "invalid gateway " + gatewayAddress + ": it is the network or "
                    + "broadcast address of " + subnet);
        }
        return new Subnet(block, gatewayAddress, range);
    }

    /** The gateway as an interface address ({@code 172.18.0.1/16}). */
    public Cidr gatewayInterface() {
        return block.withAddress(gateway);
    }

    /** Where container addresses come from: the ip-range, or the whole block. */
    public Cidr pool() {
        return ipRange == null ? block : ipRange;
    }
}
