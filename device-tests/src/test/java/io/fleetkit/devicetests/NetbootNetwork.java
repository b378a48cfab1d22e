package io.fleetkit.devicetests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A boot network of its own for one emulated board: the board's card is a tap on this host,
 * bridged to a veth pair whose other end is the only interface of a network namespace, where the
 * netboot server runs. The server's ports 67/69 and its DHCP broadcasts then touch nothing of the
 * host (a tftpd on port 69, a LAN on eth0, a route that overlaps), and no address on the host
 * changes. Making it needs root and {@code /dev/net/tun}; leftovers of a killed run are removed
 * first, and {@link #close} always removes everything.
 */
final class NetbootNetwork implements AutoCloseable {

    static final String NAMESPACE = "fk-nb";
    /** qemu's card. */
    static final String TAP = "fk-nb0";
    /** The server's interface, inside the namespace. */
    static final String SERVER_IF = "fk-nbn";
    private static final String HOST_VETH = "fk-nbh";
    private static final String BRIDGE = "fk-nbbr";
    static final String SERVER_ADDRESS = "192.0.2.1";
    static final String FIRST_GUEST = "192.0.2.100";
    static final String LAST_GUEST = "192.0.2.110";

    private NetbootNetwork() {
    }

    static NetbootNetwork create() throws IOException, InterruptedException {
        requireRootAndTun();
        NetbootNetwork net = new NetbootNetwork();
        net.close();
        try {
            ip("netns", "add", NAMESPACE);
            ip("link", "add", HOST_VETH, "type", "veth", "peer", "name", SERVER_IF);
            ip("link", "set", SERVER_IF, "netns", NAMESPACE);
            ip("-n", NAMESPACE, "addr", "add", SERVER_ADDRESS + "/24", "dev", SERVER_IF);
            ip("-n", NAMESPACE, "link", "set", "lo", "up");
            ip("-n", NAMESPACE, "link", "set", SERVER_IF, "up");
            ip("tuntap", "add", "dev", TAP, "mode", "tap");
            // A bridge without STP forwards at once; without an address it is invisible to the host's routing.
            ip("link", "add", BRIDGE, "type", "bridge");
            ip("link", "set", HOST_VETH, "master", BRIDGE);
            ip("link", "set", TAP, "master", BRIDGE);
            for (String link : List.of(HOST_VETH, TAP, BRIDGE)) {
                ip("link", "set", link, "up");
            }
        } catch (IOException | RuntimeException | Error e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** {@code command} run inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        cmd.addAll(command);
        return cmd;
    }

    private static void requireRootAndTun() throws IOException, InterruptedException {
        String uid = HostTool.run("coreutils", "id", "-u").output().strip();
        if (!uid.equals("0")) {
            throw new AssertionError("the netboot test makes a tap, a bridge and a network namespace, which needs "
                    + "root (CAP_NET_ADMIN, CAP_SYS_ADMIN); run the tests as root (uid is " + uid + ")");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new AssertionError("/dev/net/tun is missing: load the tun module (modprobe tun), or give the "
                    + "container the device (docker run --device /dev/net/tun --cap-add NET_ADMIN)");
        }
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

    /** Removes whatever of the network exists; deleting one end of the veth pair removes both. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (String link : List.of(TAP, HOST_VETH, BRIDGE)) {
            if (Files.exists(Path.of("/sys/class/net", link))) {
                ip("link", "del", link);
            }
        }
        if (Files.exists(Path.of("/run/netns", NAMESPACE))) {
            ip("netns", "del", NAMESPACE);
        }
    }
}
