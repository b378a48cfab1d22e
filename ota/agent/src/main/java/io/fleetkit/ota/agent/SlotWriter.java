package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.boot.MbrPartitions;
import io.fleetkit.ota.boot.Slot;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleRefusal;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.ChunkVerifier;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes verified chunks straight into the inactive slot partition of the whole disk (no
 * temporary copy) and reads the slot back to check it. It refuses, at construction, to touch the
 * running slot or the committed slot: nothing is ever written to the active slot. One writer
 * serves one update: the device stays open between chunks (on Linux the last close of a block
 * device writes back its whole cache, so opening it per chunk would sync every chunk), writes go
 * through the page cache, and {@link #sync()} makes them durable; the caller decides how often.
 * Once closed it refuses to write, so a writer kept from an earlier update cannot be reused.
 */
public final class SlotWriter implements Closeable {

    private final Path disk;
    private final Slot target;
    private final MbrPartitions.Partition partition;
    private FileChannel out;
    private long unsynced;
    private boolean closed;

    /** Fails with {@code agent.active-slot} when {@code target} is the running or the committed slot. */
    public SlotWriter(Path disk, MbrPartitions mbr, Slot target, Slot running, Slot committed) {
        if (target == running || target == committed) {
            throw new FleetkitException("agent.active-slot", "refusing to write slot " + target + ": it is the "
                    + (target == running ? "running" : "committed") + " slot (running " + running + ", committed " + committed + ")",
                    "Updates go to the inactive slot only; this is a bug in the caller.");
        }
        this.disk = disk;
        this.target = target;
        this.partition = mbr.require(target.partition(), "slot " + target);
    }

    public Slot target() {
        return target;
    }

    public long capacity() {
        return partition.size();
    }

    /** Refuses with {@code bundle.slot-too-small} before anything is written. */
    public void checkFits(BundleManifest m) {
        if (m.slotSize() > partition.size()) {
            throw new BundleRefusedException(BundleRefusal.SLOT_TOO_SMALL, "bundle " + m.name() + " " + m.version() + " has a "
                    + m.slotSize() + "-byte slot image, slot " + target + " (partition " + target.partition() + ") holds " + partition.size());
        }
    }

    /**
     * Writes chunk {@code index} (already verified by the caller's {@link ChunkVerifier}) into the
     * slot, without waiting for the storage: it is durable only after the next {@link #sync()}.
     */
    public void writeChunk(BundleManifest m, int index, byte[] data, int length) throws IOException {
        checkFits(m);
        if (length != m.chunkLength(index)) {
            throw new IllegalArgumentException("chunk " + index + " is " + length + " bytes, expected " + m.chunkLength(index));
        }
        FileChannel ch = channel();
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        long at = partition.offset() + m.chunkOffset(index);
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
        unsynced += length;
    }

    /** Bytes written since the last {@link #sync()}. */
    public long unsyncedBytes() {
        return unsynced;
    }

    /** Waits until everything written so far is on the storage (fsync of the disk). */
    public void sync() throws IOException {
        channel().force(true);
        unsynced = 0;
    }

    /** Closes the device; writes not yet {@link #sync() synced} may still be in the page cache. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private FileChannel channel() throws IOException {
        if (closed) {
            throw new IllegalStateException("the writer for slot " + target + " is closed (its update ended)");
        }
        if (out == null) {
            out = FileChannel.open(disk, StandardOpenOption.WRITE);
        }
        return out;
    }

    /**
     * Reads chunks {@code 0..upTo-1} back and returns how many leading ones match the manifest:
     * what survived a power cut is re-verified, never trusted from the state file alone.
     */
    public int verifiedPrefix(BundleManifest m, ChunkVerifier verifier, int upTo) throws IOException {
        byte[] buf = new byte[m.chunkSize()];
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            for (int i = 0; i < Math.min(upTo, m.chunkCount()); i++) {
                int len = m.chunkLength(i);
                read(ch, partition.offset() + m.chunkOffset(i), buf, len);
                try {
                    verifier.verify(i, buf, 0, len);
                } catch (BundleRefusedException e) {
                    return i;
                }
            }
        }
        return Math.min(upTo, m.chunkCount());
    }

    /** Reads the whole slot image back and refuses with {@code bundle.chunk-mismatch} unless its SHA-256 is the manifest's. */
    public void verifySlot(BundleManifest m) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            long done = 0;
            while (done < m.slotSize()) {
                int len = (int) Math.min(buf.length, m.slotSize() - done);
                read(ch, partition.offset() + done, buf, len);
                sha.update(buf, 0, len);
                done += len;
            }
        }
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equals(m.slotSha256())) {
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH, "slot " + target + " reads back with SHA-256 " + got
                    + ", the manifest says " + m.slotSha256() + " (storage corrupted the write?)");
        }
    }

    private static void read(FileChannel ch, long at, byte[] buf, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("disk ends inside the slot at byte " + (at + b.position()));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
