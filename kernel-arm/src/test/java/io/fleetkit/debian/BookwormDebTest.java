package io.fleetkit.debian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Extracts the real bookworm busybox-static arm64 package. */
class BookwormDebTest {

    private static final byte[] ELF64_LE = {0x7f, 'E', 'L', 'F', 2, 1};
    private static final int EM_AARCH64 = 183;

    @TempDir
    Path tmp;

    @Test
    void extractsBusyboxStaticForArm64() throws Exception {
        BinaryPackage p = BookwormFixture.arm64Index().latest("busybox-static").orElseThrow();
        Path deb = BookwormFixture.deb(p);

        ControlParagraph control = DebExtractor.readControl(deb);
        assertEquals("busybox-static", control.require("Package"));
        assertEquals(p.version(), DebianVersion.parse(control.require("Version")));
        assertEquals("arm64", control.require("Architecture"));

        Map<String, DebEntry> entries = new HashMap<>();
        Map<String, byte[]> heads = new HashMap<>();
        DebExtractor.readData(deb, (e, in) -> {
            entries.put(e.path(), e);
            heads.put(e.path(), in.readNBytes(20));
        });
        DebEntry busybox = entries.get("bin/busybox");
        assertEquals(DebEntry.Type.FILE, busybox.type());
        assertEquals(0755, busybox.mode());
        assertTrue(busybox.size() > 1_000_000, "size " + busybox.size());
        assertElfAarch64(heads.get("bin/busybox"));

        Path root = tmp.resolve("root");
        DebExtractor.extractTo(deb, root);
        Path bin = root.resolve("bin/busybox");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)));
        assertEquals(busybox.size(), Files.size(bin));
        assertElfAarch64(readHead(bin));
    }

    private static byte[] readHead(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(20);
        }
    }

    private static void assertElfAarch64(byte[] head) {
        byte[] magic = new byte[ELF64_LE.length];
        System.arraycopy(head, 0, magic, 0, magic.length);
        assertArrayEquals(ELF64_LE, magic, "not a 64-bit little-endian ELF");
        int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
        assertEquals(EM_AARCH64, machine, "e_machine");
    }
}
