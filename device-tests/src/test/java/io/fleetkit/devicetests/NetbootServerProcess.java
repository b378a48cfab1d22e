package io.fleetkit.devicetests;

import io.fleetkit.events.Event;
import io.fleetkit.netboot.NetbootOptions;
import io.fleetkit.netboot.NetbootServer;
import io.fleetkit.netboot.dhcp.AddressRange;
import io.fleetkit.netboot.dhcp.DhcpMode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Our netboot server in a JVM of its own, so a test can start it inside a network namespace
 * ({@code ip netns exec NS java ... NetbootServerProcess ...}): full DHCP, TFTP on 69, HTTP on
 * any port. Every log event goes to stdout as {@code task: message}; it stops when stdin closes.
 * Arguments: netboot tree, interface, server address, first and last guest address, cache dir.
 */
public final class NetbootServerProcess {

    private NetbootServerProcess() {
    }

    /** The command that runs it, with this JVM's java and class path. */
    static List<String> command(Path tree, String iface, String address, String first, String last, Path cache) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), NetbootServerProcess.class.getName(),
                tree.toString(), iface, address, first, last, cache.toString());
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        NetbootOptions o = new NetbootOptions();
        o.images = List.of(Path.of(args[0]));
        o.dhcpMode = DhcpMode.FULL;
        o.interfaceName = args[1];
        o.address = (Inet4Address) InetAddress.getByName(args[2]);
        o.dhcpRange = AddressRange.parse(args[3] + "-" + args[4]);
        o.cacheDir = Files.createDirectories(Path.of(args[5]));
        // U-Boot asks on the standard ports; HTTP is not on this boot path.
        o.dhcpPort = 67;
        o.tftpPort = 69;
        o.httpPort = 0;
        // The namespace was made a moment ago and holds only our board: no other DHCP server can
        // answer there, so skip the 4 s probe.
        o.force = true;
        try (NetbootServer server = new NetbootServer(o, event -> {
            if (event instanceof Event.Log l) {
                synchronized (out) {
                    out.println(l.task() + ": " + l.message());
                    out.flush();
                }
            }
        })) {
            server.start();
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // stdin gone: stop
            }
        }
    }
}
