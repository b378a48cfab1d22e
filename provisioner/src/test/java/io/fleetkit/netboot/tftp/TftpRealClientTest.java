package io.fleetkit.netboot.tftp;

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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tftp-hpa's and atftp's clients against our server, bytes compared. */
class TftpRealClientTest {

    @TempDir
    Path tmp;
    Path tree;
    TftpServer server;
    String port;

    @BeforeEach
    void start() throws Exception {
        tree = SampleTrees.qemu(tmp, "gateway", 3_000_000);
        BootFiles files = new BootFiles(new ImageCatalog(List.of(NetbootImage.load(tree)), AssignmentTable.parse(List.of(), "t")),
                new ClientRegistry(), "http://127.0.0.1/", tmp, EventSink.NONE);
        server = new TftpServer(files, TftpServer.Settings.DEFAULT, EventSink.NONE);
        port = Integer.toString(server.start(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void tftpHpaClientFetchesInBinaryMode() throws Exception {
        String tftp = HostTool.require("tftp", "tftp-hpa");
        Path out = tmp.resolve("hpa.bin");
        HostTool.runOk(null, List.of(tftp, "-v", "-m", "binary", "127.0.0.1", port, "-c", "get", "vmlinuz", out.toString()));
        assertArrayEquals(Files.readAllBytes(tree.resolve("vmlinuz")), Files.readAllBytes(out));
        Path dtb = tmp.resolve("pxe.cfg");
        HostTool.runOk(null, List.of(tftp, "-m", "binary", "127.0.0.1", port, "-c", "get", "pxelinux.cfg/default", dtb.toString()));
        assertTrue(Files.readString(dtb).contains("KERNEL images/gateway/vmlinuz"));
    }

    @Test
    void tftpHpaClientInNetasciiModeGetsCrLfLines() throws Exception {
        String tftp = HostTool.require("tftp", "tftp-hpa");
        Path out = tmp.resolve("cmdline.txt");
        HostTool.runOk(null, List.of(tftp, "-m", "ascii", "127.0.0.1", port, "-c", "get", "cmdline.txt", out.toString()));
        // The client turns CR LF back into LF, so the text arrives unchanged.
        assertArrayEquals(Files.readAllBytes(tree.resolve("cmdline.txt")), Files.readAllBytes(out));
    }

    @Test
    void tftpHpaClientReportsMissingFiles() throws Exception {
        String tftp = HostTool.require("tftp", "tftp-hpa");
        HostTool.Result r = HostTool.run(null, List.of(tftp, "-m", "binary", "127.0.0.1", port, "-c", "get", "../../etc/passwd",
                tmp.resolve("x").toString()));
        assertTrue(r.output().contains("File not found") || r.output().contains("Error code 1"), r.output());
    }

    @Test
    void atftpFetchesWithAndWithoutOptions() throws Exception {
        String atftp = HostTool.require("atftp", "atftp");
        byte[] expected = Files.readAllBytes(tree.resolve("vmlinuz"));
        Path plain = tmp.resolve("plain.bin");
        HostTool.runOk(null, List.of(atftp, "-g", "-r", "vmlinuz", "-l", plain.toString(), "127.0.0.1", port));
        assertArrayEquals(expected, Files.readAllBytes(plain));
        Path tuned = tmp.resolve("tuned.bin");
        HostTool.Result r = HostTool.runOk(null, List.of(atftp, "--verbose", "--option", "blksize 1428", "--option", "tsize 0",
                "--option", "windowsize 8", "--option", "timeout 2",
                "-g", "-r", "vmlinuz", "-l", tuned.toString(), "127.0.0.1", port));
        assertArrayEquals(expected, Files.readAllBytes(tuned));
        assertTrue(r.output().contains("blksize") && r.output().contains("1428"), r.output());
        Path small = tmp.resolve("small.bin");
        HostTool.runOk(null, List.of(atftp, "--option", "blksize 8", "-g", "-r", "initrd.img", "-l", small.toString(),
                "127.0.0.1", port));
        assertArrayEquals(Files.readAllBytes(tree.resolve("initrd.img")), Files.readAllBytes(small));
        HostTool.Result missing = HostTool.run(null, List.of(atftp, "-g", "-r", "nope", "-l", tmp.resolve("n").toString(),
                "127.0.0.1", port));
        assertNotEquals(0, missing.exit());
    }
}
