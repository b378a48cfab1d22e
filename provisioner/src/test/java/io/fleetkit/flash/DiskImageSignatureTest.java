package io.fleetkit.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleet flash writes disk images only: a spec, or any file without a partition table, is refused before a byte is written. */
class DiskImageSignatureTest {

    @TempDir
    Path dir;

    @Test
    void aSpecIsRefusedWithTheCommandsThatWork() throws Exception {
        Path spec = Files.writeString(dir.resolve("rpi4.yml"), "name: gateway-rpi4\nversion: 1.0.0\nboard: rpi4\n" + "#\n".repeat(300));

        FleetkitException e = assertThrows(FleetkitException.class, () -> ImageSource.resolve(spec.toString(), null, false));

        assertEquals("flash.not-an-image", e.code());
        assertTrue(e.getMessage().endsWith("rpi4.yml is an image spec, not a disk image"), e.getMessage());
        assertTrue(e.fix().contains("fleet build " + spec + " -o out") && e.fix().contains("fleet flash out/NAME-VERSION.img"), e.fix());
    }

    @Test
    void filesWithoutAPartitionTableAreRefusedCompressedOrNot() throws Exception {
        Path plain = Files.write(dir.resolve("notes.img"), new byte[4096]);
        assertEquals("flash.not-an-image", assertThrows(FleetkitException.class,
                () -> ImageSource.resolve(plain.toString(), null, true)).code());
        Path tiny = Files.write(dir.resolve("tiny.img"), new byte[100]);
        assertTrue(assertThrows(FleetkitException.class, () -> ImageSource.resolve(tiny.toString(), null, true)).getMessage()
                .contains("shorter than one sector"));
        Path gz = dir.resolve("zeros.img.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new byte[4096]);
        }
        assertEquals("flash.not-an-image", assertThrows(FleetkitException.class,
                () -> ImageSource.resolve(gz.toString(), null, true)).code());
        Path fake = Files.writeString(dir.resolve("fake.img.xz"), "not xz at all");
        assertTrue(assertThrows(FleetkitException.class, () -> ImageSource.resolve(fake.toString(), null, true)).getMessage()
                .contains("does not decode as xz"));
    }

    @Test
    void aDiskImageIsAccepted() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 4, false, 3);
        assertEquals("gw-1.0.0.img", ImageSource.resolve(img.image().toString(), null, false).name());
    }
}
