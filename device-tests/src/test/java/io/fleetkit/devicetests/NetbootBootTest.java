package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.events.Event;
import io.fleetkit.netboot.NetbootOptions;
import io.fleetkit.netboot.NetbootServer;
import io.fleetkit.netboot.dhcp.AddressRange;
import io.fleetkit.netboot.dhcp.DhcpMode;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The qemu-arm64 example booted with no disk at all: Debian's U-Boot on {@code qemu -M virt}
 * gets its address from our DHCP server (full mode), fetches {@code boot.scr.uimg}, the kernel
 * and the initramfs from our TFTP server, and the system reaches its ready line from RAM.
 * The board's network card sits on a tap interface the test makes (as root), because qemu's
 * user network answers DHCP and TFTP itself.
 */
class NetbootBootTest {

    private static final String TAP = "fk-nb0";

    @Test
    void qemuArm64ExampleBootsFromOurDhcpAndTftpWithNoDisk() throws Exception {
        BuildResult built = Examples.build("qemu-arm64");
        Path logFile = TestBuilds.ROOT.resolve("logs").resolve("netboot-qemu-arm64.log");
        Files.createDirectories(logFile.getParent());
        List<String> served = new CopyOnWriteArrayList<>();
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
             TapNetwork tap = TapNetwork.create(TAP);
             NetbootServer server = new NetbootServer(options(built.path(OutputFormat.NETBOOT), tap), event -> {
                 if (event instanceof Event.Log l) {
                     served.add(l.task() + ": " + l.message());
                     log.println("[server] " + l.task() + ": " + l.message());
                 }
             })) {
            server.start();
            QemuCommand qemu = QemuCommand.netboot(BoardProfiles.get("qemu-arm64"), tap.name);
            try (ConsoleSession console = ConsoleSession.start(qemu, log::println)) {
                String ready = "^fleetkit: ready gateway 1\\.0\\.0 slot=net$";
                if (console.await(Pattern.compile(ready), Duration.ofSeconds(300)).isEmpty()) {
                    List<String> lines = console.lines();
                    throw new AssertionError("no ready line within 300 s; console and server log in " + logFile
                            + "\nserver:\n  " + String.join("\n  ", served) + "\nconsole tail:\n  "
                            + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
            Path tree = built.path(OutputFormat.NETBOOT);
            String guest = Pattern.quote(tap.prefix) + "\\.1\\d\\d";
            assertLogged(served, "dhcp: ACK to .*\\(UBOOT, U-Boot\\.armv8\\) address " + guest);
            assertLogged(served, "tftp: " + guest + ":\\d+ boot\\.scr\\.uimg \\d+ bytes in");
            assertLogged(served, "tftp: " + guest + ":\\d+ images/gateway/vmlinuz " + Files.size(tree.resolve("vmlinuz"))
                    + " bytes in");
            assertLogged(served, "tftp: " + guest + ":\\d+ images/gateway/initrd\\.img "
                    + Files.size(tree.resolve("initrd.img")) + " bytes in");
            // The booted system asks again from Linux (busybox udhcpc, in the background of rc.boot),
            // which may come just after the ready line.
            awaitLogged(served, "dhcp: ACK to .*\\(PLAIN, udhcp [^)]*\\) address " + guest, Duration.ofSeconds(60));
        }
    }

    private static NetbootOptions options(Path tree, TapNetwork tap) throws Exception {
        NetbootOptions o = new NetbootOptions();
        o.images = List.of(tree);
        o.dhcpMode = DhcpMode.FULL;
        o.dhcpRange = AddressRange.parse(tap.firstGuestAddress() + "-" + tap.lastGuestAddress());
        o.interfaceName = tap.name;
        o.address = (Inet4Address) InetAddress.getByName(tap.hostAddress());
        // U-Boot asks on the standard ports; HTTP is not used by this boot path.
        o.dhcpPort = 67;
        o.tftpPort = 69;
        o.httpPort = 0;
        // The tap was made a moment ago and only our emulator will sit on it: no other DHCP
        // server can answer there, so skip the 4 s probe.
        o.force = true;
        o.cacheDir = TestBuilds.ROOT.resolve("netboot-cache");
        Files.createDirectories(o.cacheDir);
        return o;
    }

    private static void awaitLogged(List<String> lines, String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().noneMatch(l -> p.matcher(l).find()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertLogged(lines, regex);
    }

    private static void assertLogged(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue(lines.stream().anyMatch(l -> p.matcher(l).find()),
                "no server log line matches /" + regex + "/ in:\n  " + String.join("\n  ", lines));
    }
}
