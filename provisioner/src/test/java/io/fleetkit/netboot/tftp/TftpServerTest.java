package io.fleetkit.netboot.tftp;

import io.fleetkit.events.Event;
import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.BootFiles;
import io.fleetkit.netboot.ClientRegistry;
import io.fleetkit.netboot.ImageCatalog;
import io.fleetkit.netboot.NetbootImage;
import io.fleetkit.netboot.SampleTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TftpServerTest {

    @TempDir
    Path tmp;
    Path tree;
    TftpServer server;
    InetSocketAddress address;
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        tree = SampleTrees.qemu(tmp, "gateway", 70_000);
        NetbootImage image = NetbootImage.load(tree);
        BootFiles files = new BootFiles(new ImageCatalog(List.of(image), AssignmentTable.parse(List.of(), "t")),
                new ClientRegistry(), "http://127.0.0.1/", tmp, events::add);
        server = new TftpServer(files, new TftpServer.Settings(200, 5, TransferOptions.MAX_BLOCK, 64), events::add);
        int port = server.start(InetAddress.getLoopbackAddress(), 0);
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    byte[] file(String name) throws Exception {
        return Files.readAllBytes(tree.resolve(name));
    }

    @Test
    void servesAFileWithoutOptions() throws Exception {
        TestTftpClient c = new TestTftpClient();
        assertArrayEquals(file("vmlinuz"), c.get(address, "vmlinuz", Map.of()));
        assertTrue(c.oack.isEmpty(), "no options, no OACK");
        assertEquals(70_000 / 512 + 1, c.dataPacketsReceived);
    }

    @Test
    void negotiatesBlockSizeTransferSizeTimeoutAndWindow() throws Exception {
        TestTftpClient c = new TestTftpClient();
        byte[] got = c.get(address, "/vmlinuz", Map.of("blksize", "1428", "tsize", "0", "timeout", "3",
                "windowsize", "8", "unknown", "1"));
        assertArrayEquals(file("vmlinuz"), got);
        assertEquals(Map.of("blksize", "1428", "tsize", "70000", "timeout", "3", "windowsize", "8"), c.oack);
    }

    @Test
    void capsOptionsAtTheServersLimitsAndIgnoresBadValues() {
        TransferOptions o = TransferOptions.negotiate(Map.of("blksize", "70000", "windowsize", "1000", "timeout", "0"),
                10, 1000, 1468, 16);
        assertEquals(512, o.blockSize(), "out-of-range blksize is ignored");
        assertEquals(16, o.windowSize());
        assertEquals(1000, o.timeoutMillis());
        assertEquals(Map.of("windowsize", "16"), o.acknowledged());
        assertEquals(1468, TransferOptions.negotiate(Map.of("blksize", "65464"), 10, 1000, 1468, 16).blockSize());
        assertTrue(TransferOptions.negotiate(Map.of("blksize", "12x"), 10, 1000, 1468, 16).acknowledged().isEmpty());
        TransferOptions big = TransferOptions.negotiate(Map.of("blksize", "8192", "windowsize", "16"), 10, 1000, 65464, 64);
        assertEquals(8, big.windowSize(), "at most 64 KiB in flight");
        assertEquals("8", big.acknowledged().get("windowsize"));
    }

    @Test
    void resendsLostBlocksAndIgnoresDuplicateAcks() throws Exception {
        TestTftpClient c = new TestTftpClient();
        c.dropOnce = Set.of(1L, 2L, 50L, 137L);
        c.duplicateAcks = true;
        assertArrayEquals(file("vmlinuz"), c.get(address, "vmlinuz", Map.of()));
        // Sorcerer's Apprentice would double every block after the first duplicate ACK.
        assertTrue(c.dataPacketsReceived < 137 + 20, "received " + c.dataPacketsReceived);
    }

    @Test
    void resendsFromTheGapInAWindow() throws Exception {
        TestTftpClient c = new TestTftpClient();
        c.dropOnce = Set.of(3L, 9L, 10L, 40L);
        byte[] got = c.get(address, "vmlinuz", Map.of("blksize", "512", "windowsize", "8"));
        assertArrayEquals(file("vmlinuz"), got);
    }

    @Test
    void wrapsBlockNumbersPast65535() throws Exception {
        byte[] big = SampleTrees.bytes(65536 * 8 + 1000, 9);
        Files.write(tree.resolve("big.bin"), big);
        TestTftpClient c = new TestTftpClient();
        assertArrayEquals(big, c.get(address, "big.bin", Map.of("blksize", "8", "windowsize", "16")));
        assertEquals(65536 + 125 + 1, c.dataPacketsReceived);
        TestTftpClient lockStep = new TestTftpClient();
        lockStep.dropOnce = Set.of(65535L, 65536L, 65537L);
        assertArrayEquals(big, lockStep.get(address, "big.bin", Map.of("blksize", "8")));
    }

    @Test
    void sendsAnEmptyLastBlockForFilesOfWholeBlocks() throws Exception {
        Files.write(tree.resolve("exact.bin"), SampleTrees.bytes(1024, 3));
        TestTftpClient c = new TestTftpClient();
        assertArrayEquals(file("exact.bin"), c.get(address, "exact.bin", Map.of()));
        assertEquals(3, c.dataPacketsReceived);
        Files.write(tree.resolve("empty.bin"), new byte[0]);
        assertArrayEquals(new byte[0], new TestTftpClient().get(address, "empty.bin", Map.of()));
    }

    @Test
    void refusesPathsThatLeaveTheTree() throws Exception {
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(tree.resolve("link-out"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(tree.resolve("dir-out"), tmp);
        for (String name : List.of("../secret.txt", "/../secret.txt", "dtbs/../../secret.txt", "link-out",
                "dir-out/secret.txt", "..\\secret.txt", tmp.resolve("secret.txt").toString(), "C:secret.txt")) {
            TestTftpClient c = new TestTftpClient();
            assertNull(c.get(address, name, Map.of()), name);
            assertEquals(TftpPacket.ERR_NOT_FOUND, c.errorCode, name);
        }
        Files.createSymbolicLink(tree.resolve("link-in"), tree.resolve("vmlinuz"));
        assertArrayEquals(file("vmlinuz"), new TestTftpClient().get(address, "link-in", Map.of()), "symlink inside is fine");
    }

    @Test
    void refusesWritesAndBadModes() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            ByteArrayOutputStream wrq = new ByteArrayOutputStream();
            wrq.write(0);
            wrq.write(TftpPacket.WRQ);
            TestTftpClient.cstr(wrq, "vmlinuz");
            TestTftpClient.cstr(wrq, "octet");
            s.send(new DatagramPacket(wrq.toByteArray(), wrq.size(), address));
            byte[] buf = new byte[600];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            assertEquals(TftpPacket.ERROR, TftpPacket.opcode(buf, p.getLength()));
            assertEquals(TftpPacket.ERR_ACCESS, TftpPacket.block(buf, p.getLength()));
            assertTrue(p.getPort() != address.getPort(), "errors come from a new TID");
            // Garbage is dropped without an answer and does not stop the server.
            s.send(new DatagramPacket(new byte[] {0, 1, 'x'}, 3, address));
        }
        assertArrayEquals(file("cmdline.txt"), new TestTftpClient().get(address, "cmdline.txt", Map.of()));
    }

    @Test
    void givesUpAfterTheRetryLimitWhenTheClientVanishes() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ByteArrayOutputStream rrq = new ByteArrayOutputStream();
            rrq.write(0);
            rrq.write(TftpPacket.RRQ);
            TestTftpClient.cstr(rrq, "initrd.img");
            TestTftpClient.cstr(rrq, "octet");
            s.send(new DatagramPacket(rrq.toByteArray(), rrq.size(), address));
            // never ACK, but stay there so no ICMP "port unreachable" ends it sooner
            Event.Log line = waitFor("initrd.img");
        assertEquals(Event.Level.WARN, line.level());
            assertTrue(line.message().contains("no ACK after 6 tries at block 1"), line.message());
        }
    }

    @Test
    void ignoresARepeatedRequestWhileItsTransferRuns() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            ByteArrayOutputStream rrq = new ByteArrayOutputStream();
            rrq.write(0);
            rrq.write(TftpPacket.RRQ);
            TestTftpClient.cstr(rrq, "initrd.img");
            TestTftpClient.cstr(rrq, "octet");
            // As U-Boot does when its first answer is slow: the same request again, from the same port.
            s.send(new DatagramPacket(rrq.toByteArray(), rrq.size(), address));
            s.send(new DatagramPacket(rrq.toByteArray(), rrq.size(), address));
            byte[] buf = new byte[600];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            Set<Integer> senders = new java.util.HashSet<>();
            // Never ACK: every packet is block 1, first sent then retransmitted, from one transfer only.
            for (int i = 0; i < 4; i++) {
                s.receive(p);
                assertEquals(TftpPacket.DATA, TftpPacket.opcode(buf, p.getLength()));
                assertEquals(1, TftpPacket.block(buf, p.getLength()));
                senders.add(p.getPort());
            }
            assertEquals(1, senders.size(), "one transfer, one TID: " + senders);
            waitFor(" initrd.img 0 bytes in");
        }
        long started = events.stream().filter(e -> e instanceof Event.Log l && l.message().contains(" initrd.img ")
                && l.message().contains("bytes in")).count();
        assertEquals(1, started);
    }

    @Test
    void servesTwentyClientsAtOnceAndLogsEachTransfer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<byte[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, String> opts = i % 2 == 0 ? Map.of() : Map.of("blksize", "1024", "windowsize", "4");
                results.add(pool.submit(() -> new TestTftpClient().get(address, "vmlinuz", opts)));
            }
            for (Future<byte[]> f : results) {
                assertArrayEquals(file("vmlinuz"), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long logged = 0;
        for (int i = 0; i < 100 && logged < 20; i++) {
            logged = events.stream().filter(e -> e instanceof Event.Log l && l.message().contains("vmlinuz 70000 bytes")).count();
            Thread.sleep(20);
        }
        assertEquals(20, logged);
    }

    /** Waits (bounded) for the transfer log line naming {@code file}; not a timing assertion. */
    Event.Log waitFor(String file) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (Event e : events) {
                if (e instanceof Event.Log l && l.task().equals("tftp") && l.message().contains(file)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line for " + file + " in " + events);
    }
}
