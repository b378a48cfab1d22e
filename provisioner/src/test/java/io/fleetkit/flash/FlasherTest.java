package io.fleetkit.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bmap.Bmap;
import io.fleetkit.formats.bmap.BmapRange;
import io.fleetkit.formats.bmap.BmapReader;
import io.fleetkit.formats.disk.ByteRange;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlasherTest {

    @TempDir
    Path dir;

    private final Flasher flasher = new Flasher(EventSink.NONE);

    @Test
    void writesEveryMappedRangeAndLeavesUnmappedBytesUntouched() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 1);
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        FlashResult r = flasher.flash(ImageSource.resolve(img.image().toString(), null, false), target, FlashOptions.defaults());

        assertNotNull(r.verify());
        assertMappedEqualAndRestUntouched(img.image(), target, img.mappedBlocks(), img.size());
    }

    @ParameterizedTest
    @CsvSource({"xz,xz,xz-utils", "gz,gzip,gzip", "zst,zstd,zstd", "bz2,bzip2,bzip2"})
    void decompressesWhileStreamingAndFindsTheBmapOfThePlainImage(String suffix, String tool, String pkg) throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 2);
        Tools.ok(Tools.require(tool, pkg), "-k", "-q", img.image().toString());
        Path compressed = dir.resolve("gw-1.0.0.img." + suffix);
        assertTrue(Files.isRegularFile(compressed));
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        ImageSource source = ImageSource.resolve(compressed.toString(), null, false);
        assertEquals(img.bmap().toString(), source.bmapOrigin());
        flasher.flash(source, target, FlashOptions.defaults());

        assertMappedEqualAndRestUntouched(img.image(), target, img.mappedBlocks(), img.size());
    }

    @Test
    void usesABmapMadeByBmaptool() throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 3);
        Path theirs = dir.resolve("theirs.bmap");
        Tools.ok(Tools.require("bmaptool", "bmap-tools"), "create", "-o", theirs.toString(), img.image().toString());
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        flasher.flash(ImageSource.resolve(img.image().toString(), theirs, false), target, FlashOptions.defaults());

        Bmap bmap = BmapReader.read(theirs);
        List<ByteRange> mapped = new ArrayList<>();
        for (BmapRange br : bmap.ranges()) {
            mapped.add(new ByteRange(br.first() * 4096, Math.min(img.size(), (br.last() + 1) * 4096) - br.first() * 4096));
        }
        assertMappedEqualAndRestUntouched(img.image(), target, mapped, img.size());
    }

    @Test
    void withoutBmapCopiesEveryByteAndCreatesAMissingFileTarget() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 4);
        Path target = dir.resolve("new-card.img");

        flasher.flash(ImageSource.resolve(img.image().toString(), null, true), target, FlashOptions.defaults());

        assertEquals(-1, Files.mismatch(img.image(), target));
    }

    @Test
    void findsTheImageByItsBuildOutputBaseName() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 2, false, 5);
        ImageSource s = ImageSource.resolve(dir.resolve("gw-1.0.0").toString(), null, false);
        assertEquals(img.image(), s.path());
        assertTrue(s.bmap().isPresent());
    }

    @Test
    void aCorruptedSourceRangeIsRefusedBeforeAnyOfItIsWritten() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 6);
        long slot = 20 * SyntheticImage.MIB;
        flipByte(img.image(), slot + 5 * SyntheticImage.MIB + 7);
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        FleetkitException e = assertThrows(FleetkitException.class, () ->
                flasher.flash(ImageSource.resolve(img.image().toString(), null, false), target, FlashOptions.defaults()));

        assertEquals("flash.source-digest", e.code());
        assertTrue(e.getMessage().contains("nothing of that range was written"), e.getMessage());
        byte[] range = SyntheticImage.read(target, slot, (int) (6 * SyntheticImage.MIB));
        for (int i = 0; i < range.length; i++) {
            assertEquals(SyntheticImage.patternAt(slot + i), range[i], "byte " + (slot + i) + " was written");
        }
        assertArrayEquals(new byte[512], SyntheticImage.read(target, 0, 512), "the old partition table must be gone");
    }

    @Test
    void aCorruptedLongRangeNeverGetsAPartitionTable() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 7);
        flipByte(img.image(), 20 * SyntheticImage.MIB + 5 * SyntheticImage.MIB);
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        FleetkitException e = assertThrows(FleetkitException.class, () -> flasher.flash(
                ImageSource.resolve(img.image().toString(), null, false), target,
                FlashOptions.defaults().withHoldLimit(SyntheticImage.MIB)));

        assertEquals("flash.source-digest", e.code());
        assertTrue(e.getMessage().contains("the partition table was not written"), e.getMessage());
        assertArrayEquals(new byte[512], SyntheticImage.read(target, 0, 512));
    }

    @Test
    void aTargetAlteredAfterWritingFailsVerifyNamingTheOffset() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 8);
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());
        WrittenImage written = flasher.write(ImageSource.resolve(img.image().toString(), null, false), target,
                FlashOptions.defaults());

        long altered = 24 * SyntheticImage.MIB + 4242;
        flipByte(target, altered);

        FleetkitException e = assertThrows(FleetkitException.class, () -> flasher.verify(written));
        assertEquals("flash.verify-mismatch", e.code());
        assertTrue(e.getMessage().contains("offset " + 24 * SyntheticImage.MIB), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"xz,xz,xz-utils", "gz,gzip,gzip", "zst,zstd,zstd", "bz2,bzip2,bzip2"})
    void truncatedCompressedInputFailsCleanly(String suffix, String tool, String pkg) throws Exception {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 6, false, 9);
        Tools.ok(Tools.require(tool, pkg), "-k", "-q", img.image().toString());
        Path compressed = dir.resolve("gw-1.0.0.img." + suffix);
        try (RandomAccessFile f = new RandomAccessFile(compressed.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Path target = SyntheticImage.patternedTarget(dir.resolve("card"), img.size());

        FleetkitException e = assertThrows(FleetkitException.class, () ->
                flasher.flash(ImageSource.resolve(compressed.toString(), null, false), target, FlashOptions.defaults()));

        assertTrue(e.code().equals("flash.source-truncated") || e.code().equals("flash.source-unreadable"), e.code());
        assertTrue(e.getMessage().contains("gw-1.0.0.img." + suffix), e.getMessage());
        assertArrayEquals(new byte[512], SyntheticImage.read(target, 0, 512));
    }

    @Test
    void writesTheFirstMibLastSoAHalfWrittenCardHasNoPartitionTable() throws IOException {
        SyntheticImage img = SyntheticImage.create(dir, "gw-1.0.0", 64, 10, false, 10);
        List<Long> offsets = java.util.Collections.synchronizedList(new ArrayList<>());
        Flasher recording = new Flasher(EventSink.NONE, TargetSafety.system(), (t, offset, length) -> offsets.add(offset));

        recording.flash(ImageSource.resolve(img.image().toString(), null, false), dir.resolve("card"), FlashOptions.defaults());

        int firstHead = offsets.indexOf(0L);
        assertTrue(firstHead > 0, "sector 0 is written, and not first: " + offsets);
        for (int i = firstHead; i < offsets.size(); i++) {
            assertTrue(offsets.get(i) < SyntheticImage.MIB, "after the partition table only the first MiB: " + offsets);
        }
        assertTrue(offsets.subList(0, firstHead).stream().allMatch(o -> o >= SyntheticImage.MIB), offsets.toString());
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xFF);
        }
    }

    static void assertMappedEqualAndRestUntouched(Path image, Path target, List<ByteRange> mapped, long size)
            throws IOException {
        List<ByteRange> ranges = ByteRange.merge(mapped);
        long pos = 0;
        for (ByteRange r : ranges) {
            assertUntouched(target, pos, r.offset());
            assertArrayEquals(SyntheticImage.read(image, r.offset(), (int) r.length()),
                    SyntheticImage.read(target, r.offset(), (int) r.length()), "mapped range at " + r.offset());
            pos = r.end();
        }
        assertUntouched(target, pos, size);
    }

    private static void assertUntouched(Path target, long from, long to) throws IOException {
        for (long at = from; at < to; at += SyntheticImage.MIB) {
            int n = (int) Math.min(SyntheticImage.MIB, to - at);
            byte[] b = SyntheticImage.read(target, at, n);
            for (int i = 0; i < n; i++) {
                if (b[i] != SyntheticImage.patternAt(at + i)) {
                    throw new AssertionError("unmapped byte " + (at + i) + " was changed");
                }
            }
        }
    }
}
