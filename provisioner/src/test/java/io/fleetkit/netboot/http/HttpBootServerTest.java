package io.fleetkit.netboot.http;

import io.fleetkit.events.EventSink;
import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.BootFiles;
import io.fleetkit.netboot.ClientRegistry;
import io.fleetkit.netboot.HostTool;
import io.fleetkit.netboot.ImageCatalog;
import io.fleetkit.netboot.NetbootImage;
import io.fleetkit.netboot.SampleTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** curl against the HTTP server: whole files, ranges, HEAD, errors; Pi boot.img checked with fsck.fat and mtools. */
class HttpBootServerTest {

    @TempDir
    Path tmp;
    Path qemu;
    Path pi;
    HttpBootServer server;
    String base;
    String curl;

    @BeforeEach
    void start() throws Exception {
        curl = HostTool.require("curl", "curl");
        qemu = SampleTrees.qemu(tmp, "gateway", 100_000);
        pi = SampleTrees.rpi4(tmp, "kiosk");
        ImageCatalog catalog = new ImageCatalog(List.of(NetbootImage.load(qemu), NetbootImage.load(pi)),
                AssignmentTable.parse(List.of(), "t"));
        server = new HttpBootServer(EventSink.NONE);
        int port = server.bind(InetAddress.getLoopbackAddress(), 0);
        base = "http://127.0.0.1:" + port + "/";
        server.serve(new BootFiles(catalog, new ClientRegistry(), base, Files.createDirectories(tmp.resolve("cache")),
                EventSink.NONE));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HostTool.Result curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(curl, "-sS"));
        cmd.addAll(List.of(args));
        return HostTool.run(null, cmd);
    }

    @Test
    void servesWholeFilesAndSingleRanges() throws Exception {
        byte[] kernel = Files.readAllBytes(qemu.resolve("vmlinuz"));
        Path out = tmp.resolve("k");
        assertEquals("200", curl("-o", out.toString(), "-w", "%{http_code}", base + "vmlinuz").output());
        assertArrayEquals(kernel, Files.readAllBytes(out));
        assertEquals("206", curl("-o", out.toString(), "-w", "%{http_code}", "-r", "1000-1999", base + "images/gateway/vmlinuz").output());
        assertArrayEquals(Arrays.copyOfRange(kernel, 1000, 2000), Files.readAllBytes(out));
        curl("-o", out.toString(), "-r", "-500", base + "vmlinuz");
        assertArrayEquals(Arrays.copyOfRange(kernel, kernel.length - 500, kernel.length), Files.readAllBytes(out));
        curl("-o", out.toString(), "-r", "99990-", base + "vmlinuz");
        assertArrayEquals(Arrays.copyOfRange(kernel, 99990, kernel.length), Files.readAllBytes(out));
        String headers = curl("-D", "-", "-o", "/dev/null", "-r", "0-9", base + "vmlinuz").output();
        assertTrue(headers.contains("Content-Range: bytes 0-9/100000") || headers.contains("Content-range: bytes 0-9/100000"), headers);
        // Resuming a download with curl -C continues where the partial file ends.
        Files.write(out, Arrays.copyOf(kernel, 40_000));
        curl("-C", "-", "-o", out.toString(), base + "vmlinuz");
        assertArrayEquals(kernel, Files.readAllBytes(out));
    }

    @Test
    void answersUnsatisfiableRangesHeadAndMissingFiles() throws Exception {
        String r = curl("-D", "-", "-o", "/dev/null", "-r", "200000-", base + "vmlinuz").output();
        assertTrue(r.startsWith("HTTP/1.1 416"), r);
        assertTrue(r.toLowerCase().contains("content-range: bytes */100000"), r);
        String head = curl("-I", base + "vmlinuz").output().toLowerCase();
        assertTrue(head.startsWith("http/1.1 200") && head.contains("content-length: 100000")
                && head.contains("accept-ranges: bytes"), head);
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", base + "../../etc/passwd").output());
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", base + "dtbs/../../x").output());
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", base + "images/nope/vmlinuz").output());
        assertEquals("405", curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", base + "vmlinuz").output());
    }

    @Test
    void generatesUbootAndIpxeScripts() throws Exception {
        String cfg = curl(base + "images/gateway/pxelinux.cfg/01-02-00-00-00-00-01").output();
        assertTrue(cfg.contains("LABEL fleetkit\n  KERNEL vmlinuz\n  INITRD initrd.img\n"), cfg);
        assertTrue(cfg.contains("APPEND console=ttyAMA0,115200 rdinit=/init"), cfg);
        String pi = curl(base + "images/kiosk/pxelinux.cfg/default").output();
        assertTrue(pi.contains("FDT dtbs/broadcom/bcm2711-rpi-4-b.dtb"), pi);
        String ipxe = curl(base + "boot.ipxe").output();
        assertTrue(ipxe.startsWith("#!ipxe\n"), ipxe);
        assertTrue(ipxe.contains("kernel " + base + "images/gateway/vmlinuz initrd=initrd.img console="), ipxe);
        assertTrue(ipxe.contains("initrd " + base + "images/gateway/initrd.img"), ipxe);
    }

    @Test
    void piHttpBootImageIsAValidFatVolumeWithTheTreeAndItsDigest() throws Exception {
        String fsck = HostTool.require("fsck.fat", "dosfstools");
        String mcopy = HostTool.require("mcopy", "mtools");
        Path img = tmp.resolve("boot.img");
        assertEquals("200", curl("-o", img.toString(), "-w", "%{http_code}", base + "images/kiosk/boot.img").output());
        HostTool.runOk(null, List.of(fsck, "-n", img.toString()));
        for (String f : List.of("start4.elf", "config.txt", "vmlinuz", "initrd.img", "dtbs/broadcom/bcm2711-rpi-4-b.dtb")) {
            Path got = tmp.resolve("got-" + f.replace('/', '_'));
            HostTool.runOk(null, List.of(mcopy, "-n", "-i", img.toString(), "::" + f, got.toString()));
            assertArrayEquals(Files.readAllBytes(pi.resolve(f)), Files.readAllBytes(got), f);
        }
        String sig = curl(base + "images/kiosk/boot.sig").output();
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(img)));
        String[] lines = sig.split("\n");
        assertEquals(digest, lines[0]);
        assertTrue(lines[1].matches("ts: \\d+"), sig);
        String sha = HostTool.runOk(null, List.of(HostTool.require("sha256sum", "coreutils"), img.toString())).output();
        assertEquals(sha.substring(0, 64), lines[0]);
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", base + "images/gateway/boot.img").output(),
                "no boot.img for non-Pi images");
    }
}
