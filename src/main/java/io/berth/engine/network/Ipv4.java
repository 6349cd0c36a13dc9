package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.berth.common.error.BerthException;

/**
 * An IPv4 address as the unsigned 32-bit number it is. Parsed strictly (four decimal parts of 0..255, nothing else),
 * so that what a client sends never reaches a firewall rule or a plugin's input unless it is an address.
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {

    @JsonCreator
    public static Ipv4 parse(String text) {
        Ipv4 address = parseOrNull(text);
        if (address == null) {
            throw new BerthException(INVALID, "invalid IPv4 address: " + text);
        }
        return address;
    }

    /** The address, or null when {@code text} is not a dotted-quad IPv4 address. */
    public static Ipv4 parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bits = (bits << 8) | value;
        }
        return new Ipv4(bits);
    }

    public Ipv4 plus(long offset) {
        return new Ipv4((int) (unsigned() + offset));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    public boolean isUnspecified() {
        return bits == 0;
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @JsonValue
    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
