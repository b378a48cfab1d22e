package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.UBootLoadAddresses;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UBootAddressCheckTest {

    private static final long MIB = 1 << 20;
    private static final UBootLoadAddresses PI = UBootLoadAddresses.raspberryPi(384 * MIB);

    @Test
    void debiansKernelAndTheExampleInitramfsFitThePiMap() {
        // Debian 6.1 arm64: image_size 0x2010000, 10.7 MiB gzip; the rpi3 example's initramfs is 41 MiB
        UBootAddressCheck.require("rpi3", PI, 384 * MIB, 0x2010000, 11 * MIB, 41 * MIB);
    }

    @Test
    void refusesAMapOutsideTheBoardsRam() {
        FleetkitException e = assertThrows(FleetkitException.class, () -> UBootAddressCheck.require("rpi3",
                UBootLoadAddresses.raspberryPi(1024 * MIB), 384 * MIB, 0x2010000, 11 * MIB, 41 * MIB));
        assertEquals("build.uboot-addresses", e.code());
        assertTrue(e.getMessage().contains("outside the 384 MiB of RAM"), e.getMessage());
    }

    @Test
    void refusesAKernelThatCannotBeUnpackedAndAnInitramfsThatDoesNotFit() {
        FleetkitException e = assertThrows(FleetkitException.class, () -> UBootAddressCheck.require("rpi3", PI, 384 * MIB,
                70 * MIB, 11 * MIB, 300 * MIB));
        assertTrue(e.getMessage().contains("the unpacked kernel needs 70.0 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("the initramfs (300.0 MiB) does not fit at ramdisk_addr_r 0x08000000"), e.getMessage());
    }

    @Test
    void readsImageSizeFromTheArm64HeaderPlainOrGzip(@TempDir Path dir) throws Exception {
        byte[] header = new byte[4096];
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16, 0x2010000L);
        b.putInt(56, 0x644d5241);
        Path plain = Files.write(dir.resolve("Image"), header);
        Path gz = dir.resolve("Image.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(header);
        }
        assertEquals(0x2010000L, UBootAddressCheck.imageSize(plain));
        assertEquals(0x2010000L, UBootAddressCheck.imageSize(gz));
        Path notArm = Files.write(dir.resolve("zImage"), new byte[4096]);
        assertThrows(FleetkitException.class, () -> UBootAddressCheck.imageSize(notArm));
    }
}
