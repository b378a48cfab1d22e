package io.fleetkit.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flashes a real block device: a loop device over a file (needs root, as CI runs; a machine
 * where losetup fails fails this test rather than skipping it). Loop devices report
 * removable=0, so they need --allow-fixed, which is itself checked here.
 */
class LoopDeviceTest {

    @TempDir
    Path dir;

    @Test
    void flashesALoopDeviceVerifiesWithDirectIoAndRefusesItWhileHeldOpen() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 31);
        Path backing = SyntheticImage.patternedTarget(dir.resolve("disk"), 80 * SyntheticImage.MIB);
        String losetup = Tools.require("losetup", "mount");
        Path loop = Path.of(Tools.ok(losetup, "-f", "--show", backing.toString()).strip());
        try {
            Flasher flasher = new Flasher(EventSink.NONE);
            ImageSource source = ImageSource.resolve(img.image().toString(), null, false);

            FleetkitException fixed = assertThrows(FleetkitException.class,
                    () -> flasher.flash(source, loop, FlashOptions.defaults()));
            assertEquals("flash.target-fixed", fixed.code());

            Process holder = new ProcessBuilder("sh", "-c", "exec 3<" + loop + "; echo open; exec sleep 60").start();
            try {
                assertEquals('o', holder.getInputStream().read());
                FleetkitException busy = assertThrows(FleetkitException.class,
                        () -> flasher.flash(source, loop, FlashOptions.defaults().withAllowFixed(true)));
                assertEquals("flash.target-busy", busy.code());
                assertTrue(busy.getMessage().contains("(sh)") || busy.getMessage().contains("(sleep)"), busy.getMessage());
            } finally {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }

            FlashResult r = flasher.flash(source, loop, FlashOptions.defaults().withAllowFixed(true));
            assertTrue(r.verify().direct(), "read back with O_DIRECT from the block device");
            assertEquals(TargetKind.BLOCK_DEVICE, r.written().kind());
            String table = Tools.ok(Tools.require("sfdisk", "fdisk"), "-d", loop.toString());
            assertTrue(table.contains("type=83") && table.contains("label-id: 0x1234abcd"), table);
        } finally {
            Tools.run(java.util.List.of(losetup, "-d", loop.toString()));
        }
        FlasherTest.assertMappedEqualAndRestUntouched(img.image(), backing, img.mappedBlocks(), img.size());
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "r")) {
            assertEquals(80 * SyntheticImage.MIB, f.length(), "a device is never extended");
        }
    }

}
