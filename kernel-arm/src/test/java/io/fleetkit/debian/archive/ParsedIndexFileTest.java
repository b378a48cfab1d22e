package io.fleetkit.debian.archive;

import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.debian.ControlFileParser;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ParsedIndexFileTest {

    /** Paragraphs with every field BinaryPackage keeps, in the shapes Debian writes them. */
    static final String PACKAGES = """
            Package: libc6
            Source: glibc
            Version: 2.36-9+deb12u4
            Architecture: arm64
            Priority: optional
            Depends: libgcc-s1
            Breaks: hurd (<< 1:0.9.git20170910-1), nscd (<< 2.36)
            Conflicts: libc6-dev (<< 2.36-9)
            Provides: libc6-ld (= 2.36-9+deb12u4)
            Installed-Size: 12345
            Filename: pool/main/g/glibc/libc6_2.36-9+deb12u4_arm64.deb
            Size: 2330000
            SHA256: %1$s

            Package: busybox-static
            Source: busybox (1:1.35.0-4)
            Version: 1:1.35.0-4+b3
            Architecture: arm64
            Priority: important
            Essential: yes
            Pre-Depends: libc6 (>= 2.34) | libc6.1 (>> 2.00), dpkg:any
            Depends: libc6 (>= 2.34) [arm64] <!stage1>
            Filename: pool/main/b/busybox/busybox-static_1.35.0-4+b3_arm64.deb
            Size: 800000
            SHA256: %2$s

            Package: zeros
            Version: 1.00-01
            Architecture: all
            Priority: extra
            Depends: libc6 (>= 2.36-09), libc6 (>= 2.36-9)
            Filename: pool/main/z/zeros/zeros_1.00-01_all.deb
            Size: 1
            SHA256: %3$s
            """.formatted("1".repeat(64), "AB".repeat(32), "0".repeat(64));

    static List<BinaryPackage> packages() {
        return ControlFileParser.parse(PACKAGES).stream().map(BinaryPackage::from).toList();
    }

    @Test
    void roundTripGivesThePackagesBinaryPackageFromGives() throws Exception {
        List<BinaryPackage> parsed = packages();
        List<BinaryPackage> read = ParsedIndexFile.decode(ParsedIndexFile.encode(parsed));
        assertEquals(parsed, read);
        for (int i = 0; i < parsed.size(); i++) {
            // equal versions may be written differently ("1.00" = "1.0"): the text must survive too
            assertEquals(parsed.get(i).version().toString(), read.get(i).version().toString());
            assertEquals(parsed.get(i).toString(), read.get(i).toString());
            assertEquals(parsed.get(i).id(), read.get(i).id());
        }
        assertEquals("2.36-09", read.get(2).depends().get(0).alternatives().get(0).version().toString());
        assertEquals("2.36-9", read.get(2).depends().get(1).alternatives().get(0).version().toString());
        assertSame(read.get(0).name(), "libc6", "names are interned as BinaryPackage.from interns them");
        assertEquals(ParsedIndexFile.decode(ParsedIndexFile.encode(List.of())), List.of());
    }

    @Test
    void encodingIsTheSameEveryTime() {
        assertArrayEquals(ParsedIndexFile.encode(packages()), ParsedIndexFile.encode(packages()));
    }

    /** No digest needed for this: the structure alone shows that something is missing or extra. */
    @Test
    void refusesEveryTruncation() {
        byte[] file = ParsedIndexFile.encode(packages());
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            assertThrows(DerivedEntry.Damaged.class, () -> ParsedIndexFile.decode(cut), "cut at " + n);
        }
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThrows(DerivedEntry.Damaged.class, () -> ParsedIndexFile.decode(longer));
    }

    @Test
    void readsForgedPayloadsAsUntrustedInput() throws Exception {
        byte[] file = ParsedIndexFile.encode(packages());
        Random random = new Random(21);
        int damaged = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] payload = file.clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                int at = random.nextInt(payload.length);
                payload[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) 0xFF;
            }
            if (random.nextInt(10) == 0) {
                payload = Arrays.copyOf(payload, random.nextInt(payload.length));
            }
            try {
                ParsedIndexFile.decode(payload);
            } catch (DerivedEntry.Damaged expected) {
                damaged++;
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("round " + round + ": " + e, e);
            }
        }
        assertTrue(damaged > 10_000, "most forgeries are refused: " + damaged);
    }

    @Test
    void refusesAHugeCountWithoutAllocatingIt() throws Exception {
        // names count = 2^62: more than the bytes left, refused before any array is made
        byte[] payload = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x40};
        var e = assertThrows(DerivedEntry.Damaged.class, () -> ParsedIndexFile.decode(payload));
        assertTrue(e.getMessage().contains("count"), e.getMessage());
    }

    @Test
    void sharesEachVersionAndRelationOnce() throws Exception {
        List<BinaryPackage> read = ParsedIndexFile.decode(ParsedIndexFile.encode(packages()));
        // "libc6 (>= 2.34)" in busybox-static's Pre-Depends and Depends: one object after reading
        assertSame(read.get(1).preDepends().get(0).alternatives().get(0), read.get(1).depends().get(0).alternatives().get(0));
        assertNotSame(read.get(2).depends().get(0), read.get(2).depends().get(1));
    }
}
