package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatType;
import io.fleetkit.formats.fat.FatVolumeSpec;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's disk lookup, run by busybox's sh (as on the device) over a stand-in of /sys/block and /dev: the block
 * devices are regular files here (the sandbox's loop devices get no partition nodes), so {@code [ -b } reads
 * {@code [ -f }. Two disks, the slot's FAT on the second (as when a Pi 4's Wi-Fi SDHCI takes mmcblk0's name).
 */
class DiskByUuidTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aTrybootSlotsUuidFindsTheDiskThatHoldsItOnFat16AndFat32() throws Exception {
        for (FatType type : List.of(FatType.FAT16, FatType.FAT32)) {
            Path root = Files.createDirectories(dir.resolve(type.name()));
            partition(root, "mmcblk0", "mmcblk0p2", type, 0x11112222);
            partition(root, "mmcblk1", "mmcblk1p3", type, 0x1a2b3c4d);
            partition(root, "mmcblk1", "mmcblk1p2", type, 0x55556666);
            assertEquals("UUID=1A2B-3C4D", DiskByUuid.fatUuid(0x1a2b3c4d));
            String out = run(root, "fleetkit.disk=" + DiskByUuid.fatUuid(0x1a2b3c4d));
            assertTrue(out.contains("fleetkit: disk " + root + "/dev/mmcblk1 (slot file system UUID 1a2b-3c4d)"), out);
            assertTrue(out.endsWith("disk=" + root + "/dev/mmcblk1 link=mmcblk1\n"), out);
        }
    }

    @Test
    void aUuidNoDiskHoldsLeavesTheDataInRam() throws Exception {
        partition(dir, "mmcblk0", "mmcblk0p2", FatType.FAT16, 0x11112222);
        String out = run(dir, "fleetkit.disk=UUID=DEAD-BEEF");
        assertTrue(out.contains("fleetkit: no disk holds the file system deadbeef; /data stays in RAM"), out);
        assertTrue(out.endsWith("disk= link=\n"), out);
    }

    private static void partition(Path root, String disk, String part, FatType type, int volumeId) throws Exception {
        Path sys = Files.createDirectories(root.resolve("sys/block").resolve(disk).resolve(part));
        Files.writeString(sys.resolve("partition"), part.substring(part.length() - 1) + "\n");
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.write(dev.resolve(disk), new byte[512]);
        long size = type == FatType.FAT32 ? 64 * MIB : 16 * MIB;
        try (FileChannel ch = FileChannel.open(dev.resolve(part), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            new FatImageWriter(new FatVolumeSpec(size, type, "FLEETSLOT", volumeId, 0, 0)).write(new FatTree(), ch, 0);
        }
    }

    /** The lookup with {@code cmdline} as /proc/cmdline's fleetkit.disk word; prints $disk and the link it made. */
    private static String run(Path root, String word) throws Exception {
        String shell = DiskByUuid.SHELL.replace("/sys/block/", root + "/sys/block/").replace("/dev/", root + "/dev/")
                .replace("[ -b ", "[ -f ").replace("ln -sfn", "link=$(echo").replace(" " + root + DiskByUuid.LINK, ")");
        shell = shell.replace("[ $n -lt 100 ]", "[ $n -lt 3 ]"); // the device waits 10 s for a slow card; nothing appears here
        String script = "disk=" + word.substring("fleetkit.disk=".length()) + "\nlink=\n" + shell + "\necho \"disk=$disk link=$link\"\n";
        Path busybox = Path.of("/usr/bin/busybox");
        assertTrue(Files.isExecutable(busybox), "this test needs the host's busybox (Debian package busybox)");
        Process p = new ProcessBuilder(busybox.toString(), "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the lookup finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
