package io.fleetkit.netboot;

import io.fleetkit.events.Event;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.dhcp.AddressRange;
import io.fleetkit.netboot.dhcp.DhcpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our DHCP server against busybox's udhcpc, and our "another server answers" check against
 * busybox's udhcpd, across a veth pair into a network namespace the test creates (as root).
 */
class NetbootDhcpNamespaceTest {

    @TempDir
    Path tmp;

    NetbootOptions options(NetworkNamespace ns) throws Exception {
        NetbootOptions o = new NetbootOptions();
        o.images = List.of(SampleTrees.qemu(tmp, "gateway", 10_000));
        o.dhcpMode = DhcpMode.FULL;
        o.dhcpRange = AddressRange.parse("10.231.0.100-10.231.0.110");
        o.interfaceName = ns.hostIf;
        o.address = (Inet4Address) InetAddress.getByName("10.231.0.1");
        o.tftpPort = 0;
        o.httpPort = 0;
        o.probeWait = Duration.ofSeconds(4);
        o.cacheDir = tmp;
        return o;
    }

    @Test
    void udhcpcGetsAnAddressFromThePoolAndUbootGetsABootFile() throws Exception {
        String busybox = HostTool.require("busybox", "busybox");
        Path script = tmp.resolve("udhcpc.sh");
        Files.writeString(script, "#!/bin/sh\necho \"event=$1 ip=$ip mask=$subnet siaddr=$siaddr boot_file=$boot_file lease=$lease\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Event> events = new CopyOnWriteArrayList<>();
        try (NetworkNamespace ns = new NetworkNamespace("10.231.0.1/24");
             NetbootServer server = new NetbootServer(options(ns), events::add)) {
            NetbootServer.Running running = server.start();
            assertEquals(ns.hostIf, running.interfaceName());
            String plain = ns.inside(busybox, "udhcpc", "-i", ns.nsIf, "-f", "-q", "-n", "-t", "5", "-T", "1",
                    "-s", script.toString()).output();
            assertTrue(plain.contains("event=bound ip=10.231.0.100 mask=255.255.255.0 siaddr=10.231.0.1 boot_file= lease=3600"),
                    plain + events);
            String uboot = ns.inside(busybox, "udhcpc", "-i", ns.nsIf, "-f", "-q", "-n", "-t", "5", "-T", "1",
                    "-V", "U-Boot.armv8", "-s", script.toString()).output();
            assertTrue(uboot.contains("event=bound ip=10.231.0.100") && uboot.contains("boot_file=images/gateway/vmlinuz"),
                    uboot + events);
        }
    }

    @Test
    void refusesFullDhcpWhereAnotherServerAnswers() throws Exception {
        String busybox = HostTool.require("busybox", "busybox");
        try (NetworkNamespace ns = new NetworkNamespace("10.231.0.1/24")) {
            ns.inside(HostTool.require("ip", "iproute2"), "addr", "add", "10.231.0.2/24", "dev", ns.nsIf);
            Path conf = tmp.resolve("udhcpd.conf");
            Files.writeString(conf, "start 10.231.0.50\nend 10.231.0.60\ninterface " + ns.nsIf + "\nlease_file "
                    + tmp.resolve("leases") + "\npidfile " + tmp.resolve("udhcpd.pid") + "\noption subnet 255.255.255.0\n");
            Files.createFile(tmp.resolve("leases"));
            Process udhcpd = new ProcessBuilder(ns.insideCommand(busybox, "udhcpd", "-f", conf.toString()))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("udhcpd.log").toFile()).start();
            try {
                Thread.sleep(500); // let it bind before probing; the probe itself waits 4 s for answers
                FleetkitException e = assertThrows(FleetkitException.class,
                        () -> new NetbootServer(options(ns), event -> { }).start());
                assertEquals("netboot.dhcp-conflict", e.code());
                assertTrue(e.getMessage().contains("10.231.0.2"), e.getMessage());
                NetbootOptions forced = options(ns);
                forced.force = true;
                try (NetbootServer server = new NetbootServer(forced, event -> { })) {
                    assertEquals(DhcpMode.FULL, server.start().dhcpMode());
                }
            } finally {
                udhcpd.destroy();
                udhcpd.waitFor();
            }
        }
    }
}
