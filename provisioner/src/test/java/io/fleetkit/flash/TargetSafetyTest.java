package io.fleetkit.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safety decisions against fake sysfs, mount and proc trees. */
class TargetSafetyTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    Path sys;
    Path mounts;
    Path proc;

    @BeforeEach
    void tree() throws IOException {
        sys = Files.createDirectories(dir.resolve("sys/block"));
        proc = Files.createDirectories(dir.resolve("proc"));
        mounts = dir.resolve("mounts");
        disk("vdx", 0, 64 * GIB, "253:0", "Virtio disk", "vdx1");
        disk("sdx", 1, 16 * GIB, "8:16", "SanDisk Ultra", "sdx1", "sdx2");
        disk("sdy", 0, 32 * GIB, "8:32", "Samsung SSD");
        disk("mmcblkx", 1, 8 * GIB, "179:0", "SD card", "mmcblkxp1");
        Files.writeString(mounts, "/dev/vdx1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n");
    }

    private TargetSafety safety() {
        return new TargetSafety(sys, mounts, proc, null);
    }

    private void disk(String name, int removable, long size, String dev, String model, String... parts) throws IOException {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("removable"), removable + "\n");
        Files.writeString(d.resolve("size"), size / 512 + "\n");
        Files.writeString(d.resolve("dev"), dev + "\n");
        Files.writeString(d.resolve("ro"), "0\n");
        Files.createDirectories(d.resolve("device"));
        Files.writeString(d.resolve("device/model"), model + "\n");
        Files.createDirectories(d.resolve("holders"));
        int minor = Integer.parseInt(dev.split(":")[1]);
        for (String p : parts) {
            Path pd = Files.createDirectories(d.resolve(p));
            Files.writeString(pd.resolve("partition"), "1\n");
            Files.writeString(pd.resolve("dev"), dev.split(":")[0] + ":" + (++minor) + "\n");
            Files.createDirectories(pd.resolve("holders"));
        }
    }

    private FleetkitException refused(TargetSafety s, String target, long size, boolean allowFixed) {
        return assertThrows(FleetkitException.class, () -> s.check(Path.of(target), size, allowFixed));
    }

    @Test
    void acceptsAnUnmountedRemovableCardBigEnough() throws IOException {
        assertEquals("sdx", safety().check(Path.of("/dev/sdx"), GIB, false).name());
    }

    @Test
    void refusesAFixedDiskUnlessAllowed() throws IOException {
        FleetkitException e = refused(safety(), "/dev/sdy", GIB, false);
        assertEquals("flash.target-fixed", e.code());
        assertTrue(e.fix().contains("--allow-fixed"));
        assertEquals("sdy", safety().check(Path.of("/dev/sdy"), GIB, true).name());
    }

    @Test
    void refusesTheSystemDiskByTheRootMountEvenWithAllowFixed() {
        FleetkitException e = refused(safety(), "/dev/vdx", GIB, true);
        assertEquals("flash.target-system", e.code());
    }

    @Test
    void refusesTheSystemDiskByDeviceNumberWhenRootIsDevRoot() throws IOException {
        Files.writeString(mounts, "/dev/root / ext4 rw 0 0\n");
        TargetSafety s = new TargetSafety(sys, mounts, proc, "179:1");
        assertEquals("flash.target-system", refused(s, "/dev/mmcblkx", GIB, true).code());
        assertEquals("sdx", s.check(Path.of("/dev/sdx"), GIB, false).name());
    }

    @Test
    void refusesADiskWithAMountedPartitionNamingTheMountPoint() throws IOException {
        Files.writeString(mounts, "/dev/vdx1 / ext4 rw 0 0\n/dev/sdx2 /media/me/my\\040card vfat rw 0 0\n");
        FleetkitException e = refused(safety(), "/dev/sdx", GIB, false);
        assertEquals("flash.target-mounted", e.code());
        assertTrue(e.getMessage().contains("/media/me/my card"), e.getMessage());
    }

    @Test
    void refusesAMountedWholeDisk() throws IOException {
        Files.writeString(mounts, "/dev/vdx1 / ext4 rw 0 0\n/dev/mmcblkx /mnt vfat rw 0 0\n");
        assertEquals("flash.target-mounted", refused(safety(), "/dev/mmcblkx", GIB, false).code());
    }

    @Test
    void refusesATargetSmallerThanTheImage() {
        FleetkitException e = refused(safety(), "/dev/mmcblkx", 9 * GIB, false);
        assertEquals("flash.target-too-small", e.code());
        assertTrue(e.getMessage().contains(Long.toString(8 * GIB)), e.getMessage());
    }

    @Test
    void refusesAPartitionAndNamesItsDisk() {
        FleetkitException e = refused(safety(), "/dev/sdx1", GIB, false);
        assertEquals("flash.target-partition", e.code());
        assertTrue(e.fix().contains("/dev/sdx"));
    }

    @Test
    void refusesADiskAnotherProcessHoldsOpen() throws IOException {
        Path fd = Files.createDirectories(proc.resolve("4242/fd"));
        Files.writeString(proc.resolve("4242/comm"), "dd\n");
        Files.createSymbolicLink(fd.resolve("3"), Path.of("/dev/sdx1"));
        FleetkitException e = refused(safety(), "/dev/sdx", GIB, false);
        assertEquals("flash.target-busy", e.code());
        assertTrue(e.getMessage().contains("4242 (dd)"), e.getMessage());
    }

    @Test
    void refusesADiskThatDeviceMapperIsBuiltOn() throws IOException {
        Files.createDirectories(sys.resolve("sdx/sdx1/holders/dm-0"));
        assertEquals("flash.target-in-use", refused(safety(), "/dev/sdx", GIB, false).code());
    }

    @Test
    void listsDisksWithWhatStandsAgainstThem() throws IOException {
        Files.writeString(mounts, "/dev/vdx1 / ext4 rw 0 0\n/dev/sdx1 /media/a vfat rw 0 0\n");
        List<BlockDevice> list = safety().list();
        assertEquals(List.of("mmcblkx", "sdx", "sdy", "vdx"), list.stream().map(BlockDevice::name).collect(Collectors.toList()));
        BlockDevice vdx = list.get(3);
        assertTrue(vdx.system());
        assertFalse(vdx.safe());
        assertTrue(list.get(0).safe());
        assertEquals(List.of("/media/a"), list.get(1).mountPoints());
        assertFalse(list.get(1).safe());
        assertEquals("Samsung SSD", list.get(2).model());
    }
}
