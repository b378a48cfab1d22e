package io.fleetkit.netboot;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.dhcp.DhcpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootFilesTest {

    @TempDir
    Path tmp;

    @Test
    void mapsPiSerialFoldersToTheAssignedImageAndFallsBackToTheTop() throws Exception {
        Path a = SampleTrees.rpi4(tmp, "a");
        Path b = SampleTrees.rpi4(tmp.resolve("other"), "b");
        Files.writeString(b.resolve("config.txt"), "b's config\n");
        Files.createDirectories(a.resolve("0000beef"));
        Files.writeString(a.resolve("0000beef/config.txt"), "own folder\n");
        ImageCatalog catalog = new ImageCatalog(List.of(NetbootImage.load(a), NetbootImage.load(b)),
                AssignmentTable.parse(List.of("1a2b3c4d=b"), "t"));
        ClientRegistry clients = new ClientRegistry();
        BootFiles files = new BootFiles(catalog, clients, "http://x/", tmp, EventSink.NONE);
        InetAddress pi = InetAddress.getByName("10.0.0.50");
        assertEquals("b's config\n", text(files, "1a2b3c4d/config.txt", pi));
        assertEquals("1a2b3c4d", clients.lookup(pi).piSerial(), "the folder name tells the serial");
        assertEquals("b's config\n", text(files, "config.txt", pi), "later requests without the folder follow the serial");
        InetAddress other = InetAddress.getByName("10.0.0.51");
        assertEquals("own folder\n", text(files, "0000beef/config.txt", other), "a real folder in the tree wins");
        assertTrue(text(files, "99999999/config.txt", InetAddress.getByName("10.0.0.52")).startsWith("arm_64bit=1"),
                "unknown serial: the default image's top level");
        assertTrue(files.resolve("1a2b3c4d/../../etc/passwd", pi).isEmpty());
    }

    @Test
    void givesUBootsDistroBootAScriptThatLoadsAndBootsTheImageFromTheSameServer() throws Exception {
        Path a = SampleTrees.qemu(tmp, "gateway", 100);
        ImageCatalog catalog = new ImageCatalog(List.of(NetbootImage.load(a)), AssignmentTable.parse(List.of(), "t"));
        BootFiles files = new BootFiles(catalog, new ClientRegistry(), "http://x/", tmp, EventSink.NONE);
        ServedFile f = files.resolve("boot.scr.uimg", InetAddress.getByName("10.0.2.15")).orElseThrow();
        Path scr = tmp.resolve("boot.scr.uimg");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) f.size());
        try (ServedFile.Source s = f.open()) {
            s.read(0, b);
        }
        Files.write(scr, b.array());
        HostTool.Result listed = HostTool.run(tmp, List.of("mkimage", "-l", scr.toString()));
        assertEquals(0, listed.exit(), listed.output());
        assertTrue(listed.output().contains("Script"), listed.output());
        String script = new String(io.fleetkit.formats.uimage.UBootLegacyImage.scriptOf(b.array()));
        assertTrue(script.contains("tftpboot ${kernel_addr_r} images/gateway/"), script);
        assertTrue(script.contains("tftpboot ${ramdisk_addr_r} images/gateway/"), script);
        assertTrue(script.contains("${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}"), script);
    }

    @Test
    void tellsAnInstallingImageWhereItsDiskImageIsOnEveryBootPath() throws Exception {
        Path a = SampleTrees.qemu(tmp, "gateway", 100);
        Files.createDirectories(a.resolve("install"));
        Files.writeString(a.resolve("install/disk.json"), "{}");
        Files.writeString(a.resolve("netboot.json"), Files.readString(a.resolve("netboot.json")).replace("}", ",\"install\":\"install/disk.json\"}"));
        ImageCatalog catalog = new ImageCatalog(List.of(NetbootImage.load(a)), AssignmentTable.parse(List.of(), "t"));
        BootFiles files = new BootFiles(catalog, new ClientRegistry(), "http://10.0.0.1:8080/", tmp, EventSink.NONE);
        InetAddress board = InetAddress.getByName("10.0.0.50");
        String install = "fleetkit.install=http://10.0.0.1:8080/images/gateway/install/disk.json";
        String script = new String(io.fleetkit.formats.uimage.UBootLegacyImage.scriptOf(bytes(files, "boot.scr.uimg", board)));
        assertTrue(script.contains("setenv bootargs \"console=ttyAMA0,115200 rdinit=/init " + install + "\""), script);
        assertTrue(text(files, "pxelinux.cfg/default", board).contains("APPEND console=ttyAMA0,115200 rdinit=/init " + install), "pxe");
        assertTrue(text(files, "boot.ipxe", board).contains(" " + install + "\n"), "ipxe");
        assertEquals("console=ttyAMA0,115200 rdinit=/init " + install + "\n", text(files, "cmdline.txt", board), "Pi firmware path");

        Files.delete(a.resolve("install/disk.json"));
        FleetkitException e = assertThrows(FleetkitException.class, () -> NetbootImage.load(a));
        assertEquals("netboot.missing-file", e.code());

        Files.writeString(a.resolve("netboot.json"), Files.readString(a.resolve("netboot.json")).replace("\"install\":\"install/disk.json\"", "\"install\":7"));
        FleetkitException notText = assertThrows(FleetkitException.class, () -> NetbootImage.load(a));
        assertEquals("netboot.bad-metadata", notText.code());
        assertTrue(notText.getMessage().endsWith("netboot.json: 'install' must be a string"), notText.getMessage());
    }

    @Test
    void namesTheTakenPortAndTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NetbootOptions o = new NetbootOptions();
            o.images = List.of(SampleTrees.qemu(tmp, "gateway", 100));
            o.dhcpMode = DhcpMode.OFF;
            o.address = (java.net.Inet4Address) InetAddress.getLoopbackAddress();
            o.httpPort = taken.getLocalPort();
            o.tftpPort = 0;
            o.cacheDir = tmp;
            FleetkitException e = assertThrows(FleetkitException.class, () -> new NetbootServer(o, EventSink.NONE).start());
            assertEquals("netboot.port-taken", e.code());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort() + "/tcp"), e.getMessage());
            assertTrue(e.fix().contains("--http-port"), e.fix());
        }
    }

    private static String text(BootFiles files, String name, InetAddress client) throws Exception {
        return new String(bytes(files, name, client));
    }

    private static byte[] bytes(BootFiles files, String name, InetAddress client) throws Exception {
        ServedFile f = files.resolve(name, client).orElseThrow(() -> new AssertionError(name));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) f.size());
        try (ServedFile.Source s = f.open()) {
            s.read(0, b);
        }
        return b.array();
    }
}
