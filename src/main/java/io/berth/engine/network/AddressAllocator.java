package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.UNAVAILABLE;

import java.util.BitSet;

import io.berth.common.error.BerthException;

/**
 * The container addresses of one subnet: which are given out. New addresses are the lowest free one of the pool (the
 * ip-range, or the whole subnet), as dockerd gives them; an address a container asks for may be anywhere in the
 * subnet. The network and broadcast addresses and the gateway are never given. Thread-safe: two containers starting
 * at once never get the same address.
 */
final class AddressAllocator {

    private final Subnet subnet;
    private final BitSet used = new BitSet();

    AddressAllocator(Subnet subnet) {
        this.subnet = subnet;
        used.set(offset(subnet.gateway()));
    }

    /** The lowest free address of the pool. */
    synchronized Ipv4 allocate() {
        Cidr pool = subnet.pool();
        int first = offset(pool.network());
        int last = offset(pool.broadcast());
        for (int candidate = used.nextClearBit(first); candidate <= last; candidate = used.nextClearBit(candidate + 1)) {
            if (usable(candidate)) {
                used.set(candidate);
                return address(candidate);
            }
        }
        throw new BerthException(UNAVAILABLE, "no available addresses on this pool (" + subnet.pool() + ")");
    }

    /** Gives out this address, which a container asked for by name ({@code --ip}). */
    synchronized Ipv4 allocate(Ipv4 wanted) {
        if (!subnet.block().contains(wanted)) {
            throw new BerthException(INVALID, "invalid address " + wanted
                    + ": It does not belong to any of this network's subnets");
        }
        int offset = offset(wanted);
        if (!usable(offset)) {
            throw new BerthException(INVALID, "invalid address " + wanted + ": it is the network or broadcast address "
                    + "of " + subnet.block());
        }
        if (used.get(offset)) {
            throw new BerthException(DENIED, "Address already in use");
        }
        used.set(offset);
        return wanted;
    }

    /** Marks an address given out before a restart; false when another holder has it already. */
    synchronized boolean restore(Ipv4 address) {
        if (!subnet.block().contains(address)) {
            return false;
        }
        int offset = offset(address);
        if (used.get(offset)) {
            return false;
        }
        used.set(offset);
        return true;
    }

    synchronized void release(Ipv4 address) {
        if (subnet.block().contains(address) && !address.equals(subnet.gateway())) {
            used.clear(offset(address));
        }
    }

    /** How many container addresses are given out. */
    synchronized int inUse() {
        return used.cardinality() - 1;
    }

    Subnet subnet() {
        return subnet;
    }

    private boolean usable(int offset) {
        Cidr block = subnet.block();
        return offset != 0 && offset != offset(block.broadcast());
    }

    private int offset(Ipv4 address) {
        return (int) (address.unsigned() - subnet.block().network().unsigned());
    }

    private Ipv4 address(int offset) {
        return subnet.block().network().plus(offset);
    }
}
