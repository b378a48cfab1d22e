package io.fleetkit.formats.testing;

import io.fleetkit.formats.bootstate.BootState;
import io.fleetkit.formats.bootstate.ScriptBootSimulator;
import io.fleetkit.formats.fat.FatFileInPlace;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file-backed device disk with the real layout, made by the real tools: an MBR from
 * {@code sfdisk} (p1 boot FAT type 0x0c bootable, p2 slot A, p3 slot B, p4 data), p1 formatted
 * by {@code mkfs.vfat} and filled with {@code mcopy}.
 */
public final class TestDisk {

    public static final long MIB = 1024 * 1024;
    public static final String DOSFSTOOLS = "dosfstools";
    public static final String MTOOLS = "mtools";

    public final Path image;
    public final long bootOffset;
    public final long bootSize;
    public final long slotSize;
    private final Path work;

    private TestDisk(Path image, long bootOffset, long bootSize, long slotSize, Path work) {
        this.image = image;
        this.bootOffset = bootOffset;
        this.bootSize = bootSize;
        this.slotSize = slotSize;
        this.work = work;
    }

    /** A disk with a {@code bootMib} MiB p1 of the given FAT type (12, 16 or 32) holding {@code files}. */
    public static TestDisk create(Path dir, int bootMib, int fatBits, long slotMib, Map<String, byte[]> files) throws Exception {
        Path image = dir.resolve("disk.img");
        long bootStart = MIB;
        long total = bootStart + bootMib * MIB + 2 * slotMib * MIB + 2 * MIB + MIB;
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(total);
        }
        long s = MIB / 512;
        long bootSectors = bootMib * MIB / 512;
        long slotSectors = slotMib * MIB / 512;
        String table = "label: dos\n"
                + "start=" + s + ", size=" + bootSectors + ", type=c, bootable\n"
                + "start=" + (s + bootSectors) + ", size=" + slotSectors + ", type=c\n"
                + "start=" + (s + bootSectors + slotSectors) + ", size=" + slotSectors + ", type=c\n"
                + "start=" + (s + bootSectors + 2 * slotSectors) + ", size=" + (2 * MIB / 512) + ", type=83\n";
        Path script = Files.writeString(dir.resolve("sfdisk.txt"), table);
        HostTool.ok("fdisk", "sh", "-c", "sfdisk --no-reread --no-tell-kernel " + image + " < " + script);
        Path p1 = dir.resolve("p1.img");
        try (RandomAccessFile f = new RandomAccessFile(p1.toFile(), "rw")) {
            f.setLength(bootMib * MIB);
        }
        List<String> mkfs = new ArrayList<>(List.of("mkfs.vfat", "-F", Integer.toString(fatBits), "-n", "BOOT"));
        if (fatBits != 12) {
            mkfs.addAll(List.of("-s", "1"));
        }
        mkfs.add(p1.toString());
        HostTool.ok(DOSFSTOOLS, mkfs.toArray(String[]::new));
        TestDisk disk = new TestDisk(image, bootStart, bootMib * MIB, slotMib * MIB, dir);
        disk.mcopyAll(p1, files);
        disk.putBoot(p1);
        return disk;
    }

    /** A disk whose p1 holds {@code boot.scr} and the boot state: copy 0 is {@code s0}, copy 1 invalid, as a torn write leaves it. */
    public static TestDisk withBootState(Path dir, BootState s0) throws Exception {
        byte[] old = new BootState(0, s0.active(), null, 0, null).encode();
        old[10] ^= 1;
        return create(dir, 4, 16, 2, Map.of(
                "bootstate.0", s0.encode(), "bootstate.1", old, "boot.scr", "script".getBytes()));
    }

    private void mcopyAll(Path p1, Map<String, byte[]> files) throws Exception {
        java.util.Set<String> made = new java.util.HashSet<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            // each directory above the file once, parents first (mmd makes one level and fails on one that exists)
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                if (made.add(name.substring(0, slash))) {
                    HostTool.ok(MTOOLS, "mmd", "-i", p1.toString(), "::/" + name.substring(0, slash));
                }
            }
            Path src = Files.write(work.resolve("src-" + name.replace('/', '_')), e.getValue());
            HostTool.ok(MTOOLS, "mcopy", "-o", "-i", p1.toString(), src.toString(), "::/" + name);
        }
    }

    /** Copies the boot partition out of the disk into its own file (for mtools and fsck.fat). */
    public Path extractBoot() throws IOException {
        Path p1 = work.resolve("p1-out.img");
        byte[] b = new byte[(int) bootSize];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(bootOffset);
            f.readFully(b);
        }
        return Files.write(p1, b);
    }

    public void putBoot(Path p1) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(bootOffset);
            f.write(Files.readAllBytes(p1));
        }
    }

    /** What mtools reads for {@code name} on p1. */
    public byte[] mcopyOut(String name) throws Exception {
        Path p1 = extractBoot();
        Path out = work.resolve("out-" + name.replace('/', '_'));
        Files.deleteIfExists(out);
        HostTool.ok(MTOOLS, "mcopy", "-n", "-i", p1.toString(), "::/" + name, out.toString());
        return Files.readAllBytes(out);
    }

    /** Runs mtools' own operations on p1 (e.g. to fragment or move files), then puts p1 back. */
    public void withMtools(ThrowingConsumer<Path> action) throws Exception {
        Path p1 = extractBoot();
        action.accept(p1);
        putBoot(p1);
    }

    /** fsck.fat -n output; fails the test when it reports a problem. */
    public String fsckClean() throws Exception {
        return HostTool.ok(DOSFSTOOLS, "fsck.fat", "-n", extractBoot().toString());
    }

    /**
     * The boot script's logic on this disk, its writes made by mtools: delete the old copy, then
     * copy the new one with a file in the way, so it lands in other clusters, as fatwrite may.
     */
    public ScriptBootSimulator bootSimulator() {
        return new ScriptBootSimulator(bootFiles(), (name, blob) -> {
            try {
                withMtools(p1 -> {
                    Path file = Files.write(p1.resolveSibling("fatwrite-" + name), blob);
                    Path spacer = Files.write(p1.resolveSibling("spacer"), new byte[100]);
                    HostTool.ok(MTOOLS, "mdel", "-i", p1.toString(), "::/" + name);
                    HostTool.ok(MTOOLS, "mcopy", "-o", "-i", p1.toString(), spacer.toString(), "::/SPACER.TMP");
                    HostTool.ok(MTOOLS, "mcopy", "-o", "-i", p1.toString(), file.toString(), "::/" + name);
                    HostTool.ok(MTOOLS, "mdel", "-i", p1.toString(), "::/SPACER.TMP");
                });
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("mtools could not rewrite " + name + ": " + e.getMessage(), e);
            }
        });
    }

    public FatFileInPlace bootFiles() {
        return new FatFileInPlace(image, bootOffset);
    }

    @FunctionalInterface
    public interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }
}
