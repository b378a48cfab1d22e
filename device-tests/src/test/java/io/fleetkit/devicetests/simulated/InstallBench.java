package io.fleetkit.devicetests.simulated;

import io.fleetkit.ota.agent.SlotWriter;
import io.fleetkit.ota.boot.MbrPartitions;
import io.fleetkit.ota.boot.Slot;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;

/**
 * The install path on a file-backed disk with the real layout: each chunk checked against the
 * signed manifest and written by the agent's {@link SlotWriter} (which fsyncs every chunk), then
 * the read-back pass ({@link SlotWriter#verifySlot}); against a plain sequential write of the
 * same payload bytes to a file. Chunks come from memory so only verify + write is timed.
 */
final class InstallBench {

    /** MiB/s of verify + write, of verifying alone, of the read-back pass, and of the two plain writes. */
    record Result(double install, double verifyOnly, double readBack, double plainOneFsync, double plainFsyncPerChunk) {
    }

    private InstallBench() {
    }

    static Result run(Path dir, Path bundle, PublicKey key) throws Exception {
        VerifiedManifest v;
        byte[][] chunks;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 20)) {
            v = BundleReader.open(in, key);
            ChunkVerifier cv = v.chunkVerifier();
            chunks = new byte[cv.chunkCount()][];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = in.readNBytes(cv.chunkLength(i));
            }
        }
        BundleManifest m = v.manifest();
        long slotBytes = (m.slotSize() + (4 << 20) - 1) / (4 << 20) * (4 << 20);
        Path disk = dir.resolve("install-disk.img");
        new DeviceDisk(4 * DeviceDisk.MIB, slotBytes, 4 * DeviceDisk.MIB).write(disk, "bench-install", new byte[4096]);
        double mib = m.slotSize() / 1048576.0;

        ChunkVerifier verifier = v.chunkVerifier();
        long tv = System.nanoTime();
        for (int i = 0; i < chunks.length; i++) {
            verifier.verify(i, chunks[i], 0, chunks[i].length);
        }
        double verifyOnly = mib / secondsSince(tv);

        SlotWriter writer = new SlotWriter(disk, MbrPartitions.read(disk), Slot.B, Slot.A, Slot.A);
        long t0 = System.nanoTime();
        for (int i = 0; i < chunks.length; i++) {
            verifier.verify(i, chunks[i], 0, chunks[i].length);
            writer.writeChunk(m, i, chunks[i], chunks[i].length);
        }
        double install = mib / secondsSince(t0);
        long t1 = System.nanoTime();
        writer.verifySlot(m);
        double readBack = mib / secondsSince(t1);

        Path plain = dir.resolve("plain.img");
        double oneFsync = plainWrite(plain, chunks, false, mib);
        double fsyncEach = plainWrite(plain, chunks, true, mib);
        Files.deleteIfExists(plain);
        Files.deleteIfExists(disk);
        return new Result(install, verifyOnly, readBack, oneFsync, fsyncEach);
    }

    private static double plainWrite(Path file, byte[][] chunks, boolean fsyncEach, double mib) throws Exception {
        Files.deleteIfExists(file);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (byte[] c : chunks) {
                ByteBuffer b = ByteBuffer.wrap(c);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (fsyncEach) {
                    ch.force(true);
                }
            }
            ch.force(true);
        }
        return mib / secondsSince(t0);
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
