package io.fleetkit.netboot.dhcp;

import io.fleetkit.events.FleetkitException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An inclusive IPv4 range for the lease pool, written {@code 10.0.0.100-10.0.0.200}. */
public record AddressRange(long first, long last) {

    public static AddressRange parse(String text) {
        String[] parts = text.split("-");
        try {
            if (parts.length == 2) {
                long a = toLong(parts[0].strip());
                long b = toLong(parts[1].strip());
                if (a <= b && b - a < 65536) {
                    return new AddressRange(a, b);
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new FleetkitException("netboot.bad-range", "'" + text
                + "' is not a range of at most 65536 IPv4 addresses written FIRST-LAST",
                "write e.g. --dhcp-range 10.0.0.100-10.0.0.200");
    }

    public long size() {
        return last - first + 1;
    }

    public boolean contains(Inet4Address a) {
        long v = toLong(a);
        return v >= first && v <= last;
    }

    public Inet4Address at(long index) {
        return fromLong(first + index);
    }

    public static long toLong(Inet4Address a) {
        byte[] b = a.getAddress();
        return (long) (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    public static Inet4Address fromLong(long v) {
        return DhcpPacket.address(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static long toLong(String dotted) {
        if (!dotted.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException(dotted);
        }
        try {
            InetAddress a = InetAddress.getByName(dotted);
            if (!(a instanceof Inet4Address v4)) {
                throw new IllegalArgumentException(dotted);
            }
            return toLong(v4);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }
}
