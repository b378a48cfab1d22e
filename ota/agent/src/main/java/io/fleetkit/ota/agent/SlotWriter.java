package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.PartitionTable;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleRefusal;
import io.fleetkit.ota.bundle.BundleRefusedException;
import io.fleetkit.ota.bundle.ChunkVerifier;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Future;

/**
 * Writes verified chunks straight into the inactive slot partition of the whole disk (no
 * temporary copy) and reads the slot back to check it. It refuses, at construction, to touch the
 * running slot or the committed slot: nothing is ever written to the active slot. One writer
 * serves one update: the device stays open between chunks (on Linux the last close of a block
 * device writes back its whole cache, so opening it per chunk would sync every chunk), writes bypass
 * the page cache where the storage allows ({@link DirectDisk}), and {@link #sync()} makes them
 * durable; the caller decides how often.
 * Writes run in order on the writer's own thread ({@link WriteBehind}), so the caller can verify
 * the next chunk meanwhile; a sync runs on a second thread once the writes before it are done, so
 * later writes go on while the storage flushes. Reads ({@link #verifiedPrefix}, {@link #verifySlot})
 * wait for the writes first. Once closed it refuses to write, so a writer kept from an earlier
 * update cannot be reused.
 */
public final class SlotWriter implements Closeable {

    private final Path disk;
    private final Slot target;
    private final MbrPartition partition;
    /** Bytes of chunks that may wait for the storage (at least one chunk). */
    private static final int QUEUED_BYTES = 4 << 20;

    private final WriteBehind io;
    private final WriteBehind syncs;
    private DirectDisk out;
    private long unsynced;
    private boolean closed;

    /** Fails with {@code agent.active-slot} when {@code target} is the running or the committed slot. */
    public SlotWriter(Path disk, PartitionTable mbr, Slot target, Slot running, Slot committed) {
        if (target == running || target == committed) {
            throw new FleetkitException("agent.active-slot", "refusing to write slot " + target + ": it is the "
                    + (target == running ? "running" : "committed") + " slot (running " + running + ", committed " + committed + ")",
                    "Updates go to the inactive slot only; this is a bug in the caller.");
        }
        this.disk = disk;
        this.target = target;
        this.partition = mbr.require(target.partition(), "slot " + target);
        this.io = new WriteBehind("slot-writer-" + target, QUEUED_BYTES);
        this.syncs = new WriteBehind("slot-sync-" + target, 0);
    }

    public Slot target() {
        return target;
    }

    public long capacity() {
        return partition.sizeBytes();
    }

    /** Refuses with {@code bundle.slot-too-small} before anything is written. */
    public void checkFits(BundleManifest m) {
        if (m.slotSize() > partition.sizeBytes()) {
            throw new BundleRefusedException(BundleRefusal.SLOT_TOO_SMALL, "bundle " + m.name() + " " + m.version() + " has a "
                    + m.slotSize() + "-byte slot image, slot " + target + " (partition " + target.partition() + ") holds " + partition.sizeBytes());
        }
    }

    /**
     * Queues chunk {@code index} (already verified by the caller's {@link ChunkVerifier}) to be
     * written into the slot and returns; it waits only while {@value #QUEUED_BYTES} bytes are queued.
     * The chunk is durable after the next sync completes. {@code data} must not change afterwards.
     * A failed write is thrown by a later call.
     */
    public void writeChunk(BundleManifest m, int index, byte[] data, int length) throws IOException {
        checkFits(m);
        if (length != m.chunkLength(index)) {
            throw new IllegalArgumentException("chunk " + index + " is " + length + " bytes, expected " + m.chunkLength(index));
        }
        ensureOpen();
        long at = partition.startByte() + m.chunkOffset(index);
        io.submit(() -> device().write(data, length, at), length);
        unsynced += length;
    }

    /** Bytes queued since the last sync was started. */
    public long unsyncedBytes() {
        return unsynced;
    }

    /**
     * Starts an fsync of everything queued so far and returns at once: it runs once those writes
     * are done, while later ones go on. The future completes when it is done (wait with {@link #await}).
     */
    public Future<?> startSync() throws IOException {
        return startSync(() -> { });
    }

    /**
     * {@link #startSync()}, then {@code then} on the sync thread once the fsync succeeded (a checkpoint
     * records what it made durable there, so the caller's thread never waits for the storage). Syncs and
     * their follow-ups run in the order they were started.
     */
    Future<?> startSync(WriteBehind.Io then) throws IOException {
        ensureOpen();
        Future<?> written = io.submit(() -> { });
        Future<?> f = syncs.submit(() -> {
            io.await(written); // throws a failed write instead of syncing past it
            device().force();
            then.run();
        });
        unsynced = 0;
        return f;
    }

    /** Waits for a sync started by {@link #startSync()}; throws if it or any write before it failed. */
    public void await(Future<?> sync) throws IOException {
        syncs.await(sync);
    }

    /** Waits until everything written so far is on the storage (fsync of the disk). */
    public void sync() throws IOException {
        await(startSync());
    }

    /** The first write or sync that failed on the writer's thread, or null; after one, nothing more is written. */
    public IOException failure() {
        return io.failure() != null ? io.failure() : syncs.failure();
    }

    /** Waits until the queued writes, and the syncs and checkpoints started so far, are done. */
    void drain() throws IOException {
        io.drain();
        syncs.drain();
    }

    /**
     * Finishes the queued work and closes the device; writes not yet synced may still be in the
     * device's write cache (or the page cache). A failure is not thrown again here (see {@link #failure()}).
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        stopThreads(WriteBehind::stop);
    }

    /**
     * Stops like a power cut: queued writes, syncs and checkpoints are dropped, one under way is
     * interrupted, and nothing of this writer touches the disk or the state file afterwards.
     */
    public void abandon() throws IOException {
        stopThreads(WriteBehind::abandon);
    }

    private interface Stop {
        void of(WriteBehind thread) throws IOException;
    }

    /** Stops the write thread, then the sync thread, with {@code stop}; the device is closed whatever happens. */
    private void stopThreads(Stop stop) throws IOException {
        closed = true;
        try {
            stop.of(io);
            stop.of(syncs);
        } finally {
            synchronized (this) {
                if (out != null) {
                    out.close();
                    out = null;
                }
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the writer for slot " + target + " is closed (its update ended)");
        }
    }

    /** The open device (opened on first use, on the writer's threads). */
    private synchronized DirectDisk device() throws IOException {
        if (out == null) {
            out = DirectDisk.forWriting(disk);
        }
        return out;
    }

    /**
     * Reads chunks {@code 0..upTo-1} back and returns how many leading ones match the manifest:
     * what survived a power cut is re-verified, never trusted from the state file alone (and read
     * from the device where it allows O_DIRECT, not from what the page cache remembers).
     */
    public int verifiedPrefix(BundleManifest m, ChunkVerifier verifier, int upTo) throws IOException {
        if (!closed) {
            io.drain();
        }
        byte[] buf = new byte[m.chunkSize()];
        try (DirectDisk in = DirectDisk.forReading(disk)) {
            for (int i = 0; i < Math.min(upTo, m.chunkCount()); i++) {
                int len = m.chunkLength(i);
                in.read(partition.startByte() + m.chunkOffset(i), buf, len);
                try {
                    verifier.verify(i, buf, 0, len);
                } catch (BundleRefusedException e) {
                    return i;
                }
            }
        }
        return Math.min(upTo, m.chunkCount());
    }

    /**
     * Reads the whole slot image back and refuses with {@code bundle.chunk-mismatch} unless its
     * SHA-256 is the manifest's. Returns true when it was read from the device past the page cache (O_DIRECT), false
     * when the storage refused that and the page cache answered.
     */
    public boolean verifySlot(BundleManifest m) throws IOException {
        if (!closed) {
            io.drain();
        }
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 20];
        boolean direct;
        try (DirectDisk in = DirectDisk.forReading(disk)) {
            direct = in.direct();
            long done = 0;
            while (done < m.slotSize()) {
                int len = (int) Math.min(buf.length, m.slotSize() - done);
                in.read(partition.startByte() + done, buf, len);
                sha.update(buf, 0, len);
                done += len;
            }
        }
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equals(m.slotSha256())) {
            throw new BundleRefusedException(BundleRefusal.CHUNK_MISMATCH, "slot " + target + " reads back with SHA-256 " + got
                    + ", the manifest says " + m.slotSha256() + " (storage corrupted the write?)");
        }
        return direct;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
