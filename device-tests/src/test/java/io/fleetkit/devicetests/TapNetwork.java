package io.fleetkit.devicetests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tap interface on this host with an address, for an emulator whose network card must reach
 * our own servers at layer 2 (DHCP broadcasts, TFTP from port 69), which qemu's user network
 * cannot carry. Making one needs root and {@code /dev/net/tun}; a leftover of the same name from
 * a killed run is removed first, and {@link #close} always removes it.
 *
 * <p>The tap gets a /24 that no route on this host covers yet: a documentation range can be a
 * real network in CI (one machine here has eth0 in 192.0.2.0/24), and an overlap would send the
 * unicast replies to the guest out of the wrong interface.
 */
final class TapNetwork implements AutoCloseable {

    /** First three octets of the /24s tried, in order. */
    private static final List<String> CANDIDATES = List.of("198.51.100", "203.0.113", "10.213.57", "172.31.213",
            "192.168.213");

    final String name;
    /** e.g. {@code 198.51.100}; the host is {@code .1}, guests get {@code .100}-{@code .110}. */
    final String prefix;

    private TapNetwork(String name, String prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    String hostAddress() {
        return prefix + ".1";
    }

    String firstGuestAddress() {
        return prefix + ".100";
    }

    String lastGuestAddress() {
        return prefix + ".110";
    }

    static TapNetwork create(String name) throws IOException, InterruptedException {
        requireRootAndTun();
        delete(name);
        TapNetwork tap = new TapNetwork(name, freePrefix());
        try {
            ip("tuntap", "add", "dev", name, "mode", "tap");
            ip("addr", "add", tap.hostAddress() + "/24", "dev", name);
            ip("link", "set", name, "up");
        } catch (IOException | RuntimeException | Error e) {
            tap.close();
            throw e;
        }
        return tap;
    }

    private static void requireRootAndTun() throws IOException, InterruptedException {
        String uid = HostTool.run("coreutils", "id", "-u").output().strip();
        if (!uid.equals("0")) {
            throw new AssertionError("the netboot test makes a tap interface and serves DHCP/TFTP on ports 67/69, "
                    + "which needs root (CAP_NET_ADMIN); run the tests as root (uid is " + uid + ")");
        }
        Path tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) {
            throw new AssertionError("/dev/net/tun is missing: load the tun module (modprobe tun), or give the "
                    + "container the device (docker run --device /dev/net/tun --cap-add NET_ADMIN)");
        }
    }

    /** The first candidate /24 that no IPv4 route of this host overlaps. */
    private static String freePrefix() throws IOException, InterruptedException {
        List<long[]> used = new java.util.ArrayList<>();
        for (String line : ip("-4", "-o", "route", "show", "table", "all").split("\n")) {
            String dest = line.strip().split("\\s+")[0];
            if (dest.equals("local") || dest.equals("broadcast")) {
                dest = line.strip().split("\\s+")[1];
            }
            if (dest.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
                String[] p = dest.split("/");
                int bits = p.length == 2 ? Integer.parseInt(p[1]) : 32;
                used.add(new long[] {address(p[0]), bits});
            }
        }
        for (String c : CANDIDATES) {
            long net = address(c + ".0");
            boolean free = used.stream().noneMatch(r -> {
                int bits = (int) Math.min(r[1], 24);
                long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
                return (r[0] & mask) == (net & mask);
            });
            if (free) {
                return c;
            }
        }
        throw new AssertionError("every candidate network for the tap is in use on this host: " + CANDIDATES);
    }

    private static long address(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) {
            v = v << 8 | Integer.parseInt(part);
        }
        return v;
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        String[] argv = new String[args.length + 1];
        argv[0] = "ip";
        System.arraycopy(args, 0, argv, 1, args.length);
        HostTool.Result r = HostTool.run("iproute2", argv);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed (" + r.exit() + "): " + r.output().strip());
        }
        return r.output();
    }

    private static void delete(String name) throws IOException, InterruptedException {
        if (Files.exists(Path.of("/sys/class/net", name))) {
            ip("link", "del", name);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        delete(name);
    }
}
