package io.fleetkit.formats.ubootenv;

import io.fleetkit.events.FleetkitException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FwEnvConfigTest {

    @Test
    void parsesTwoCopiesWithCommentsAndEraseSizes() {
        FwEnvConfig c = FwEnvConfig.parse("# MMC env\n\n/dev/mmcblk0 0x3fc000 0x4000 0x200 16\n/dev/mmcblk0 -0x4000 4000\n", "fw_env.config");
        assertTrue(c.redundant());
        assertEquals(0x4000, c.size());
        assertEquals(new FwEnvConfig.Location(Path.of("/dev/mmcblk0"), 0x3fc000, 0x4000), c.copies().get(0));
        assertEquals(-0x4000, c.copies().get(1).offset());
    }

    @Test
    void oneLineIsASingleCopy() {
        FwEnvConfig c = FwEnvConfig.parse("/boot/uboot.env 0 0x2000\n", "fw_env.config");
        assertFalse(c.redundant());
        assertEquals(8192, c.size());
    }

    @Test
    void offsetsUseCNumberNotation() {
        assertEquals(8, FwEnvConfig.number("010"));
        assertEquals(10, FwEnvConfig.number("10"));
        assertEquals(-16, FwEnvConfig.number("-0x10"));
    }

    @Test
    void refusesBadLinesNamingTheLine() {
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> FwEnvConfig.parse("/dev/x 0 0x4000\n/dev/x zero 0x4000\n", "cfg"));
        assertEquals("uboot-env.bad-config", e.code());
        assertTrue(e.getMessage().startsWith("cfg:2:"), e.getMessage());
        assertThrows(FleetkitException.class, () -> FwEnvConfig.parse("/dev/x 0 0x4000\n/dev/x 0x4000 0x2000\n", "cfg"));
        assertThrows(FleetkitException.class, () -> FwEnvConfig.parse("# nothing\n", "cfg"));
        assertThrows(FleetkitException.class, () -> FwEnvConfig.parse("a 0 0x10\nb 0 0x10\nc 0 0x10\n", "cfg"));
    }
}
