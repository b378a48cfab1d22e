package io.fleetkit.netboot.tftp;

import io.fleetkit.events.EventSink;
import io.fleetkit.netboot.AssignmentTable;
import io.fleetkit.netboot.BootFiles;
import io.fleetkit.netboot.ClientRegistry;
import io.fleetkit.netboot.HostTool;
import io.fleetkit.netboot.ImageCatalog;
import io.fleetkit.netboot.NetbootImage;
import io.fleetkit.netboot.SampleTrees;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TFTP throughput, ours against tftp-hpa's {@code in.tftpd} serving the same file on loopback,
 * fetched with atftp: default options, blksize 1468, blksize 1468 + windowsize 16, and 20
 * clients at once. Run: {@code java -cp <test classpath> io.fleetkit.netboot.tftp.TftpBenchmark [MiB]}.
 */
public final class TftpBenchmark {

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        String atftp = HostTool.require("atftp", "atftp");
        String intftpd = HostTool.require("in.tftpd", "tftpd-hpa");
        Path tmp = Files.createTempDirectory("tftp-bench");
        Path tree = SampleTrees.qemu(tmp, "bench", 1000);
        Files.write(tree.resolve("bench.bin"), SampleTrees.bytes(mib << 20, 1));
        BootFiles files = new BootFiles(new ImageCatalog(List.of(NetbootImage.load(tree)), AssignmentTable.parse(List.of(), "b")),
                new ClientRegistry(), "http://127.0.0.1/", tmp, EventSink.NONE);
        int hpaPort = freePort();
        Process hpa = new ProcessBuilder(intftpd, "-L", "-s", tree.toString(), "-a", "127.0.0.1:" + hpaPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("hpa.log").toFile()).start();
        try (TftpServer ours = new TftpServer(files, TftpServer.Settings.DEFAULT, EventSink.NONE)) {
            int ourPort = ours.start(InetAddress.getLoopbackAddress(), 0);
            Thread.sleep(300);
            List<Map.Entry<String, List<String>>> cases = List.of(
                    Map.entry("default (512, window 1)", List.of()),
                    Map.entry("blksize 1468", List.of("--option", "blksize 1468")),
                    Map.entry("blksize 1468 windowsize 16", List.of("--option", "blksize 1468", "--option", "windowsize 16")),
                    Map.entry("blksize 8192 windowsize 16", List.of("--option", "blksize 8192", "--option", "windowsize 16")));
            System.out.printf("%d MiB file, loopback, client atftp%n", mib);
            System.out.printf("%-30s %14s %14s%n", "options", "fleet MB/s", "in.tftpd MB/s");
            for (var c : cases) {
                double a = run(atftp, c.getValue(), ourPort, tmp, 1, mib);
                double b = run(atftp, c.getValue(), hpaPort, tmp, 1, mib);
                System.out.printf("%-30s %14.1f %14.1f%n", c.getKey(), a, b);
            }
            for (var c : List.of(cases.get(0), cases.get(2))) {
                double a = run(atftp, c.getValue(), ourPort, tmp, 20, mib);
                double b = run(atftp, c.getValue(), hpaPort, tmp, 20, mib);
                System.out.printf("%-30s %14.1f %14.1f  (20 clients, aggregate)%n", c.getKey(), a, b);
            }
        } finally {
            hpa.destroy();
            hpa.waitFor();
        }
    }

    /** Aggregate MB/s for {@code clients} simultaneous atftp downloads; checks every copy's size. */
    private static double run(String atftp, List<String> opts, int port, Path tmp, int clients, int mib) throws Exception {
        List<Process> ps = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            List<String> cmd = new ArrayList<>(List.of(atftp));
            cmd.addAll(opts);
            cmd.addAll(List.of("-g", "-r", "bench.bin", "-l", tmp.resolve("out" + i).toString(), "127.0.0.1", Integer.toString(port)));
            ps.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("atftp" + i + ".log").toFile()).start());
        }
        for (int i = 0; i < clients; i++) {
            if (ps.get(i).waitFor() != 0 || Files.size(tmp.resolve("out" + i)) != (long) mib << 20) {
                throw new IllegalStateException("download " + i + " failed: " + Files.readString(tmp.resolve("atftp" + i + ".log")));
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        return clients * (double) (mib << 20) / 1e6 / s;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
