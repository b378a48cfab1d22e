package io.fleetkit.formats.uimage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.testing.HostTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UBootLegacyImageTest {

    static final long EPOCH = 1_767_225_600L;

    @TempDir
    Path tmp;

    private byte[] mkimage(String arch, String name, byte[] script) throws Exception {
        Path in = tmp.resolve("boot.txt");
        Path out = tmp.resolve("boot-" + arch + ".scr");
        Files.write(in, script);
        HostTool.Result r = HostTool.run("u-boot-tools", Map.of("SOURCE_DATE_EPOCH", String.valueOf(EPOCH)), null,
                null, "mkimage", "-A", arch, "-O", "linux", "-T", "script", "-C", "none", "-n", name,
                "-d", in.toString(), out.toString());
        assertEquals(0, r.exit(), r.stderr());
        return Files.readAllBytes(out);
    }

    @Test
    void equalsMkimageOutputByteForByte() throws Exception {
        String[] scripts = {"echo hi\nboot", "load virtio 0:1 ${kernel_addr_r} Image\nbooti ${kernel_addr_r} - ${fdt_addr}\n", "\n"};
        String[] names = {"fleet boot", "a-name-that-is-longer-than-thirty-two-bytes", "x"};
        for (int i = 0; i < scripts.length; i++) {
            byte[] script = scripts[i].getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(mkimage("arm64", names[i], script),
                    UBootLegacyImage.script(names[i], script, UBootLegacyImage.Arch.ARM64, EPOCH), names[i]);
            assertArrayEquals(mkimage("arm", names[i], script),
                    UBootLegacyImage.script(names[i], script, UBootLegacyImage.Arch.ARM, EPOCH), names[i]);
        }
    }

    @Test
    void mkimageListsOurImageWithItsName() throws Exception {
        Path scr = tmp.resolve("boot.scr");
        Files.write(scr, UBootLegacyImage.script("Fleetkit A/B", "boot\n".getBytes(StandardCharsets.UTF_8),
                UBootLegacyImage.Arch.ARM64, EPOCH));
        String listing = HostTool.check("u-boot-tools", "mkimage", "-l", scr.toString()).out();
        assertTrue(listing.contains("Image Name:   Fleetkit A/B"), listing);
        assertTrue(listing.contains("AArch64 Linux Script (uncompressed)"), listing);
    }

    @Test
    void readsBackTheScriptAndRejectsACorruptedOne() {
        byte[] script = "setenv a b\n".getBytes(StandardCharsets.UTF_8);
        byte[] img = UBootLegacyImage.script("n", script, UBootLegacyImage.Arch.ARM, EPOCH);
        assertArrayEquals(script, UBootLegacyImage.scriptOf(img));
        assertEquals(EPOCH, UBootLegacyImage.parse(img).timestampEpochSecond());
        img[img.length - 1] ^= 1;
        assertEquals("image.uboot-invalid", assertThrows(FleetkitException.class,
                () -> UBootLegacyImage.scriptOf(img)).code());
    }
}
