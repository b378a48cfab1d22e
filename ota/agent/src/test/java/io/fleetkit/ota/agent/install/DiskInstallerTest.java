package io.fleetkit.ota.agent.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.DiskImageManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installer against a real HTTP server and a file-backed disk. */
class DiskInstallerTest {

    private static final int DISK = 8 << 20;

    @TempDir
    Path dir;
    private HttpServer http;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private KeyPair key;
    private byte[] image;
    private List<long[]> written;

    @BeforeEach
    void setUp() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            byte[] body = served.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        http.start();
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        // An image with a partition-table sector, a range across a piece boundary and one near the end.
        image = new byte[DISK];
        Random r = new Random(7);
        written = List.of(new long[] {0, 4096}, new long[] {1 << 20, (1 << 20) + 1000}, new long[] {DISK - 8192, 8192});
        for (long[] w : written) {
            byte[] b = new byte[(int) w[1]];
            r.nextBytes(b);
            System.arraycopy(b, 0, image, (int) w[0], b.length);
        }
        image[510] = 0x55;
        image[511] = (byte) 0xaa;
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
    }

    @Test
    void installsEveryWrittenRangeToABlankDiskAndLeavesTheRestAlone() throws Exception {
        serve("blank", "qemu-arm64", key);
        Path disk = disk(DISK, (byte) 0);
        byte[] before = Files.readAllBytes(disk);
        assertEquals(DiskInstaller.Outcome.INSTALLED, installer(disk, key).install(url()));
        byte[] after = Files.readAllBytes(disk);
        for (long[] w : written) {
            assertArrayEquals(Arrays.copyOfRange(image, (int) w[0], (int) (w[0] + w[1])),
                    Arrays.copyOfRange(after, (int) w[0], (int) (w[0] + w[1])));
        }
        // Bytes between the written ranges are the disk's own.
        assertArrayEquals(Arrays.copyOfRange(before, 5000, 1 << 20), Arrays.copyOfRange(after, 5000, 1 << 20));
    }

    @Test
    void leavesADiskThatHoldsDataUntouchedWhenOnlyBlankDisksMayBeInstalled() throws Exception {
        serve("blank", "qemu-arm64", key);
        Path disk = disk(DISK, (byte) 0);
        byte[] old = Files.readAllBytes(disk);
        old[2000] = 1; // e.g. someone's filesystem
        Files.write(disk, old);
        assertEquals(DiskInstaller.Outcome.NOT_BLANK, installer(disk, key).install(url()));
        assertArrayEquals(old, Files.readAllBytes(disk));
    }

    @Test
    void overwritesAnyDiskWhenTheSpecSaysAlways() throws Exception {
        serve("always", "qemu-arm64", key);
        Path disk = disk(DISK, (byte) 0x5a);
        assertEquals(DiskInstaller.Outcome.INSTALLED, installer(disk, key).install(url()));
        assertArrayEquals(Arrays.copyOfRange(image, 0, 4096), Arrays.copyOfRange(Files.readAllBytes(disk), 0, 4096));
    }

    @Test
    void refusesAManifestSignedByAnotherKeyAndWritesNothing() throws Exception {
        serve("blank", "qemu-arm64", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        Path disk = disk(DISK, (byte) 0);
        FleetkitException e = assertThrows(FleetkitException.class, () -> installer(disk, key).install(url()));
        assertEquals("install.bad-signature", e.code());
        assertArrayEquals(new byte[DISK], Files.readAllBytes(disk));
    }

    @Test
    void refusesAnImageForAnotherBoard() throws Exception {
        serve("blank", "rpi4", key);
        Path disk = disk(DISK, (byte) 0);
        assertEquals("install.other-board", assertThrows(FleetkitException.class, () -> installer(disk, key).install(url())).code());
    }

    @Test
    void aBoardWithoutADiskKeepsRunningFromRam() throws Exception {
        serve("blank", "qemu-arm64", key);
        assertEquals(DiskInstaller.Outcome.NO_DISK, installer(dir.resolve("no-such-disk"), key).install(url()));
    }

    @Test
    void refusesADiskSmallerThanTheImage() throws Exception {
        serve("blank", "qemu-arm64", key);
        Path disk = disk(DISK / 2, (byte) 0);
        assertEquals("install.disk-too-small", assertThrows(FleetkitException.class, () -> installer(disk, key).install(url())).code());
    }

    @Test
    void aTamperedPieceStopsTheInstallAndTheDiskStillLooksBlank() throws Exception {
        serve("blank", "qemu-arm64", key);
        byte[] payload = served.get("/img/install/" + DiskImageManifest.PAYLOAD);
        payload[payload.length - 1] ^= 1; // the last piece, after the partition table's was held back
        Path disk = disk(DISK, (byte) 0);
        FleetkitException e = assertThrows(FleetkitException.class, () -> installer(disk, key).install(url()));
        assertEquals("install.piece-mismatch", e.code());
        // The partition table is written last, so the next netboot sees a blank disk and installs again.
        assertArrayEquals(new byte[1 << 20], Arrays.copyOfRange(Files.readAllBytes(disk), 0, 1 << 20));
        payload[payload.length - 1] ^= 1;
        assertEquals(DiskInstaller.Outcome.INSTALLED, installer(disk, key).install(url()));
    }

    @Test
    void theCommandLineNamesTheInstallOnlyOnANetbootedSystem() {
        assertEquals(URI.create("http://10.0.0.1:8080/images/gw/install/disk.json"), InstallRequest.from(
                "console=ttyAMA0 fleetkit.slot=net fleetkit.install=http://10.0.0.1:8080/images/gw/install/disk.json\n").orElseThrow());
        assertEquals(java.util.Optional.empty(), InstallRequest.from("fleetkit.disk=/dev/vda fleetkit.install=http://x/disk.json"));
        assertEquals(java.util.Optional.empty(), InstallRequest.from("console=ttyAMA0 fleetkit.slot=net"));
        assertEquals(java.util.Optional.empty(), InstallRequest.from("fleetkit.install=file:///etc/passwd"));
    }

    private DiskInstaller installer(Path disk, KeyPair trusted) {
        return new DiskInstaller(disk, dir.resolve("sys"), "qemu-arm64", List.of(trusted.getPublic()), EventSink.NONE);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/img/install/" + DiskImageManifest.FILE);
    }

    private Path disk(int size, byte fill) throws IOException {
        byte[] b = new byte[size];
        Arrays.fill(b, fill);
        Path p = dir.resolve("disk-" + fill + "-" + size + ".img");
        Files.write(p, b);
        return p;
    }

    /** What {@code fleet build} puts in the netboot tree's install folder, made here from the test image. */
    private void serve(String when, String board, KeyPair signer) throws Exception {
        List<DiskImageManifest.Piece> pieces = new ArrayList<>();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (long[] w : written) {
            for (long at = w[0]; at < w[0] + w[1]; at += DiskImageManifest.MAX_PIECE) {
                int length = (int) Math.min(DiskImageManifest.MAX_PIECE - (at % DiskImageManifest.MAX_PIECE), w[0] + w[1] - at);
                byte[] b = Arrays.copyOfRange(image, (int) at, (int) at + length);
                payload.write(b);
                pieces.add(new DiskImageManifest.Piece(at, length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b))));
            }
        }
        byte[] json = new DiskImageManifest(DiskImageManifest.FORMAT_VERSION, "gw", "1.0.0", board, DISK, when, pieces).encode();
        served.put("/img/install/" + DiskImageManifest.FILE, json);
        served.put("/img/install/" + DiskImageManifest.SIGNATURE, BundleSigner.sign(json, signer.getPrivate()));
        served.put("/img/install/" + DiskImageManifest.PAYLOAD, payload.toByteArray());
    }
}
