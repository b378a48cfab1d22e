package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.build.PiFirmwareBootCheck;
import io.fleetkit.board.BoardProfiles;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.mbr.PartitionTable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every example builds; the emulated ones boot to the ready line and serve what they say they serve. */
class ExampleImagesTest {

    @Test
    void qemuArm64ExampleBootsAndItsWebServiceAnswersOnPort80AsAnOrdinaryUser() throws Exception {
        BuildResult built = Examples.build("qemu-arm64");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path disk = TestBuilds.ROOT.resolve("disks/example-arm64.img");
        Emulator.copySparse(built.path(OutputFormat.IMG), disk);
        try (Emulator vm = Emulator.boot("qemu-arm64", disk, true, List.of("tcp:127.0.0.1:" + port + "-:80"), "example-qemu-arm64")) {
            vm.expect("^fleetkit: ready gateway 1\\.0\\.0 slot=A$", Duration.ofSeconds(240));
            HttpResponse<String> page = getWithRetries(URI.create("http://127.0.0.1:" + port + "/"));
            assertEquals(200, page.statusCode());
            assertEquals("<h1>gateway</h1>\n", page.body());
        }
    }

    @Test
    void qemuArmhfExampleBootsThroughUBootToTheReadyLine() throws Exception {
        BuildResult built = Examples.build("qemu-armhf");
        try (Emulator vm = Emulator.boot("qemu-armhf", built.path(OutputFormat.IMG), false, "example-qemu-armhf")) {
            vm.expect("^fleetkit: boot state seq=1 active=A", Duration.ofSeconds(120));
            vm.expect("^fleetkit: ready gateway-armhf 1\\.0\\.0 slot=A$", Duration.ofSeconds(300));
        }
    }

    @Test
    void rpi4ExampleStartsUBootFromP1AndCarriesItsDeviceTreesInTheSlot() throws Exception {
        BuildResult built = Examples.build("rpi4");
        try (FileChannel ch = FileChannel.open(built.path(OutputFormat.IMG), StandardOpenOption.READ)) {
            List<MbrPartition> parts = MbrReader.read(ch).partitions();
            assertEquals(4, parts.size());
            assertTrue(parts.get(0).bootable());
            assertEquals(MbrPartition.TYPE_FAT32_LBA, parts.get(0).type(), "the Pi ROM wants 0x0c");
            assertEquals(MbrPartition.TYPE_FAT16_LBA, parts.get(1).type(), "a 256 MiB slot is FAT16");
            try (FatImageReader p1 = new FatImageReader(ch, parts.get(0).startByte())) {
                for (String f : List.of("start4.elf", "fixup4.dat", "u-boot.bin", "config.txt", "boot.scr", "bootstate.0",
                        "bootstate.1", "bcm2711-rpi-4-b.dtb")) {
                    assertTrue(p1.find(f).isPresent(), f + " on p1");
                }
                assertTrue(p1.find("autoboot.txt").isEmpty(), "no firmware tryboot with Debian's kernel");
                String config = new String(p1.read("config.txt"));
                assertTrue(config.contains("arm_64bit=1"), config);
                assertTrue(config.contains("kernel=u-boot.bin"), config);
            }
            assertSlotCarriesItsTreesAndLetsUBootNameTheDisk(ch, parts.get(1),
                    List.of("bcm2711-rpi-4-b.dtb", "bcm2711-rpi-400.dtb", "bcm2711-rpi-cm4-io.dtb"));
            assertEveryModelsFirmwareBootsIt(ch, "rpi4", 3);
        }
    }

    @Test
    void rpi3ExampleStartsUBootFromP1WithTheFirmwareAndTheBootScript() throws Exception {
        BuildResult built = Examples.build("rpi3");
        try (FileChannel ch = FileChannel.open(built.path(OutputFormat.IMG), StandardOpenOption.READ)) {
            PartitionTable table = MbrReader.read(ch);
            try (FatImageReader p1 = new FatImageReader(ch, table.partitions().get(0).startByte())) {
                for (String f : List.of("bootcode.bin", "start.elf", "fixup.dat", "u-boot.bin", "config.txt", "boot.scr",
                        "bootstate.0", "bootstate.1", "bcm2837-rpi-3-b.dtb")) {
                    assertTrue(p1.find(f).isPresent(), f + " on p1");
                }
                assertTrue(new String(p1.read("config.txt")).contains("kernel=u-boot.bin"));
            }
            assertSlotCarriesItsTreesAndLetsUBootNameTheDisk(ch, table.partitions().get(1),
                    List.of("bcm2837-rpi-3-b.dtb", "bcm2837-rpi-3-b-plus.dtb", "bcm2837-rpi-zero-2-w.dtb"));
            assertEveryModelsFirmwareBootsIt(ch, "rpi3", 5);
        }
    }

    /** The image as each model's GPU firmware reads it (the build already refused it otherwise; this shows what was read). */
    private static void assertEveryModelsFirmwareBootsIt(FileChannel ch, String board, int models) throws IOException {
        List<PiFirmwareBootCheck.ModelBoot> boots = PiFirmwareBootCheck.read(ch, BoardProfiles.get(board));
        assertEquals(models, boots.size(), boots.toString());
        for (PiFirmwareBootCheck.ModelBoot b : boots) {
            assertTrue(b.ok() && !b.tryboot() && b.partition() == 1 && "u-boot.bin".equals(b.kernel())
                    && b.model().upstreamDeviceTree.equals(b.deviceTree()), b.toString());
        }
    }

    private static void assertSlotCarriesItsTreesAndLetsUBootNameTheDisk(FileChannel ch, MbrPartition slotA, List<String> trees)
            throws IOException {
        try (FatImageReader slot = new FatImageReader(ch, slotA.startByte())) {
            for (String t : trees) {
                assertTrue(slot.find("broadcom/" + t).isPresent(), "broadcom/" + t + " in slot A (U-Boot's ${fdtfile})");
            }
            String env = new String(slot.read("boot.env"));
            assertTrue(env.startsWith("fk_cmdline=console=ttyS1,115200 "), env);
            assertTrue(!env.contains("fleetkit.disk="), "the boot script names the disk by partition UUID: " + env);
        }
    }

    @Test
    void outputsAreByteIdenticalWhenBuiltTwiceInDifferentDirectoriesFromTheSameLock() throws Exception {
        BuildResult first = Examples.build("qemu-arm64");
        Path again = TestBuilds.ROOT.resolve("rebuild-" + System.nanoTime());
        BuildResult second = TestBuilds.buildInto(Examples.spec("qemu-arm64"), again, first.path(OutputFormat.LOCK), java.util.Set.of());
        List<Path> firstFiles = OutputFiles.list(first.outputs().dir(), "gateway-1.0.0");
        List<Path> secondFiles = OutputFiles.list(second.outputs().dir(), "gateway-1.0.0");
        assertEquals(firstFiles.stream().map(p -> first.outputs().dir().relativize(p).toString()).toList(),
                secondFiles.stream().map(p -> second.outputs().dir().relativize(p).toString()).toList());
        assertTrue(firstFiles.size() >= 9, "img, bmap, slot, lock, json, bundle and the netboot files: " + firstFiles);
        for (int i = 0; i < firstFiles.size(); i++) {
            assertArrayEquals(java.nio.file.Files.readAllBytes(firstFiles.get(i)),
                    java.nio.file.Files.readAllBytes(secondFiles.get(i)), "differs: " + firstFiles.get(i).getFileName());
        }
    }

    private static HttpResponse<String> getWithRetries(URI uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        IOException last = null;
        for (int i = 0; i < 30; i++) {
            try {
                return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw last;
    }
}
