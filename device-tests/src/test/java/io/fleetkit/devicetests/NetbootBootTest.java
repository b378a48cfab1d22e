package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.ota.bundle.DiskImageManifest;
import io.fleetkit.run.ConsoleSession;
import io.fleetkit.run.QemuCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The qemu-arm64 example netbooted on a board with a blank disk: Debian's U-Boot on
 * {@code qemu -M virt} finds nothing on the disk, gets its address from our DHCP server (full
 * mode), fetches {@code boot.scr.uimg}, the kernel and the initramfs from our TFTP server, and the
 * system reaches its ready line from RAM. The example's {@code update.netboot_install: blank} then
 * has the agent fetch the signed disk image over our HTTP server, write it to the disk and reboot,
 * and U-Boot boots the installed system from the disk: netboot as provisioning.
 * The board's card sits on a tap bridged into a network namespace where our server runs (as
 * root; see {@link NetbootNetwork}), because qemu's user network answers DHCP and TFTP itself.
 */
class NetbootBootTest {

    private static final Duration BOOT = Duration.ofSeconds(300);

    @Test
    void qemuArm64ExampleBootsFromOurDhcpAndTftpThenInstallsItselfToTheBlankDiskAndBootsFromIt() throws Exception {
        BuildResult built = Examples.build("qemu-arm64");
        Path tree = built.path(OutputFormat.NETBOOT);
        DiskImageManifest install = DiskImageManifest.decode(Files.readAllBytes(tree.resolve("install").resolve(DiskImageManifest.FILE)));
        Path disk = TestBuilds.ROOT.resolve("disks").resolve("netboot-blank.img");
        Files.createDirectories(disk.getParent());
        Files.deleteIfExists(disk);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(install.diskBytes()); // sparse and all zero: blank
        }
        Path logFile = TestBuilds.ROOT.resolve("logs").resolve("netboot-qemu-arm64.log");
        Files.createDirectories(logFile.getParent());
        List<String> served = new CopyOnWriteArrayList<>();
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
             NetbootNetwork net = NetbootNetwork.create()) {
            Process server = new ProcessBuilder(net.inside(NetbootServerProcess.command(tree, NetbootNetwork.SERVER_IF,
                    NetbootNetwork.SERVER_ADDRESS, NetbootNetwork.FIRST_GUEST, NetbootNetwork.LAST_GUEST,
                    TestBuilds.ROOT.resolve("netboot-cache")))).redirectErrorStream(true).start();
            try {
                collect(server, served, log);
                awaitLogged(served, server, "^netboot: serving gateway 1\\.0\\.0 on 192\\.0\\.2\\.1", Duration.ofSeconds(60));
                QemuCommand qemu = new QemuCommand(BoardProfiles.get("qemu-arm64"), disk, false, 0, List.of(), NetbootNetwork.TAP);
                try (ConsoleSession console = ConsoleSession.start(qemu, log::println)) {
                    if (console.await(Pattern.compile("^fleetkit: ready gateway 1\\.0\\.0 slot=net$"), BOOT).isEmpty()) {
                        List<String> lines = console.lines();
                        throw new AssertionError("no ready line within " + BOOT.toSeconds() + " s; console and server log in "
                                + logFile + "\nserver:\n  " + String.join("\n  ", served) + "\nconsole tail:\n  "
                                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                    }
                    String guest = "192\\.0\\.2\\.1\\d\\d";
                    assertTrue(console.lines().contains("fleetkit: netboot gateway 1.0.0 from " + NetbootNetwork.SERVER_ADDRESS),
                            "U-Boot did not run our boot.scr.uimg; console in " + logFile);
                    assertLogged(served, "^dhcp: ACK to .*\\(UBOOT, U-Boot\\.armv8\\) address " + guest);
                    assertLogged(served, "^tftp: " + guest + ":\\d+ boot\\.scr\\.uimg \\d+ bytes in");
                    assertLogged(served, "^tftp: " + guest + ":\\d+ images/gateway/vmlinuz " + Files.size(tree.resolve("vmlinuz"))
                            + " bytes in");
                    assertLogged(served, "^tftp: " + guest + ":\\d+ images/gateway/initrd\\.img "
                            + Files.size(tree.resolve("initrd.img")) + " bytes in");
                    // The booted system asks again from Linux (busybox udhcpc, in the background of
                    // rc.boot), which may come just after the ready line.
                    awaitLogged(served, server, "^dhcp: ACK to .*\\(PLAIN, udhcp [^)]*\\) address " + guest,
                            Duration.ofSeconds(60));
                    // The agent installs the image to the blank disk, checked piece by piece, and reboots into it.
                    int installed = await(console, "^fleet-agent: INFO installed gateway 1\\.0\\.0 to /dev/vda ", 0, logFile);
                    assertLogged(served, "^http: " + guest + " GET /images/gateway/install/disk\\.data 200 " + install.payloadBytes()
                            + " bytes in");
                    assertTrue(console.lines().subList(0, installed).stream().noneMatch(l -> l.matches("^fleetkit: service .* exited with status .*")),
                            "a service exited on the netbooted system; console in " + logFile);
                    await(console, "^fleetkit: ready gateway 1\\.0\\.0 slot=A$", installed, logFile);
                }
                // What reached the disk is the built image: its partition table and the whole of slot A (the booted
                // system has since formatted the data partition and may have touched the boot state on p1).
                byte[] image = Files.readAllBytes(built.path(OutputFormat.IMG));
                ByteBuffer mbr = ByteBuffer.wrap(image, 0, 512).order(ByteOrder.LITTLE_ENDIAN);
                long slotStart = (mbr.getInt(446 + 16 + 8) & 0xffffffffL) * 512;
                long slotEnd = slotStart + (mbr.getInt(446 + 16 + 12) & 0xffffffffL) * 512;
                int checked = 0;
                try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
                    for (DiskImageManifest.Piece piece : install.pieces()) {
                        boolean inSlotA = piece.offset() >= slotStart && piece.offset() + piece.length() <= slotEnd;
                        int length = piece.offset() == 0 ? 512 : inSlotA ? piece.length() : 0;
                        byte[] b = new byte[length];
                        f.seek(piece.offset());
                        f.readFully(b);
                        assertTrue(Arrays.equals(b, 0, length, image, (int) piece.offset(), (int) piece.offset() + length),
                                "the disk differs from the image in the piece at " + piece.offset());
                        checked += length;
                    }
                }
                assertTrue(checked > (16 << 20), "compared only " + checked + " bytes of the partition table and slot A");
            } finally {
                stop(server);
            }
        }
    }

    private static int await(ConsoleSession console, String regex, int from, Path logFile) throws InterruptedException {
        return console.await(Pattern.compile(regex), from, BOOT).orElseThrow(() -> {
            List<String> lines = console.lines();
            return new AssertionError("no console line /" + regex + "/ within " + BOOT.toSeconds() + " s; console in " + logFile
                    + "; tail:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        });
    }

    /** Copies the server's output lines into {@code lines} and the log file, on a daemon thread. */
    private static void collect(Process server, List<String> lines, PrintWriter log) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    log.println("[server] " + line);
                }
            } catch (IOException e) {
                // the server went away; waiters see it through isAlive()
            }
        }, "netboot-server-output");
        t.setDaemon(true);
        t.start();
    }

    /** Closing stdin stops the server; a server that does not stop is killed. */
    private static void stop(Process server) throws InterruptedException {
        try {
            server.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits (bounded) for a server line; not a timing assertion, the bound only keeps a broken run finite. */
    private static void awaitLogged(List<String> lines, Process server, String regex, Duration timeout)
            throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().noneMatch(l -> p.matcher(l).find()) && server.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(server.isAlive() ? 0 : 200); // let the reader drain a dead server's last lines
        assertLogged(lines, regex);
    }

    private static void assertLogged(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue(lines.stream().anyMatch(l -> p.matcher(l).find()),
                "no server log line matches /" + regex + "/ in:\n  " + String.join("\n  ", lines));
    }
}
