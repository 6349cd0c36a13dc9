package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.berth.common.error.BerthException;

/**
 * An IPv4 block ({@code 172.18.0.0/16}) or an address with its prefix length ({@code 172.18.0.2/16}, as an interface
 * carries it). {@link #parseBlock} insists on the network address, as dockerd does for subnets and ip-ranges.
 */
public record Cidr(Ipv4 address, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new BerthException(INVALID, "invalid prefix length " + prefix);
        }
    }

    /** An address with its prefix length; host bits may be set. */
    @JsonCreator
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        Ipv4 address = slash < 0 ? null : Ipv4.parseOrNull(text.substring(0, slash));
        String length = slash < 0 ? "" : text.substring(slash + 1);
        if (address == null || length.isEmpty() || length.length() > 2 || !length.chars().allMatch(Character::isDigit)
                || Integer.parseInt(length) > 32) {
            throw new BerthException(INVALID, "invalid CIDR address: " + text);
        }
        return new Cidr(address, Integer.parseInt(length));
    }

    /**
     * A block named by its network address. {@code what} names it in the error as dockerd does ({@code subnet},
     * {@code ip-range}).
     */
    public static Cidr parseBlock(String text, String what) {
        Cidr cidr;
        try {
            cidr = parse(text);
        } catch (BerthException e) {
            throw new BerthException(INVALID, "invalid " + what + " " + text + ": invalid CIDR block notation");
        }
        if (!cidr.address.equals(cidr.network())) {
            throw new BerthException(INVALID, "invalid " + what + " " + text + ": it should be " + cidr.block());
        }
        return cidr;
    }

    public long mask() {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public Ipv4 network() {
        return new Ipv4((int) (address.unsigned() & mask()));
    }

    public Ipv4 broadcast() {
        return new Ipv4((int) (address.unsigned() | (~mask() & 0xFFFFFFFFL)));
    }

    /** The block this address lies in ({@code 172.18.0.2/16} gives {@code 172.18.0.0/16}). */
    public Cidr block() {
        return new Cidr(network(), prefix);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean contains(Ipv4 other) {
        return (other.unsigned() & mask()) == network().unsigned();
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.network());
    }

    public boolean overlaps(Cidr other) {
        return contains(other.network()) || other.contains(network());
    }

    /** The same address with another prefix length: the address of an interface on this block. */
    public Cidr withAddress(Ipv4 host) {
        return new Cidr(host, prefix);
    }

    @JsonValue
    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
