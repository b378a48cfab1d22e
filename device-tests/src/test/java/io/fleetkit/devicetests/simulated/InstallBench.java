package io.fleetkit.devicetests.simulated;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.agent.AgentConfig;
import io.fleetkit.ota.agent.AgentStateStore;
import io.fleetkit.ota.agent.BootBackends;
import io.fleetkit.ota.agent.BundleCheck;
import io.fleetkit.ota.agent.SlotDownload;
import io.fleetkit.ota.agent.UpdateStateMachine;
import io.fleetkit.ota.boot.BootBackend;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleReader;
import io.fleetkit.ota.bundle.ChunkVerifier;
import io.fleetkit.ota.bundle.VerifiedManifest;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateState;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The agent's install path on a file-backed disk with the real layout and the real
 * {@code uboot-script} boot state: the {@link UpdateStateMachine} takes the update, and each chunk
 * is checked against the signed manifest, written through the machine's slot writer and recorded
 * ({@link UpdateStateMachine#chunksDone}: fsync of the slot and a saved state at each
 * {@code download.syncBytes} checkpoint, and after the last chunk); then, timed on its own, the
 * machine's install step (the read-back pass of the whole slot, then arming the trial). Against a
 * plain sequential write of the same payload bytes to a new file, the way {@code dd conv=fsync}
 * writes (through the page cache, one fsync at the end). The slot writer writes with O_DIRECT where
 * the storage allows, as on a device; both targets are new files on the same file system, so both
 * allocate blocks as they go. Chunks come from memory so only verify + write (+ checkpoints) is timed.
 */
final class InstallBench {

    /**
     * MiB/s of verify + write with the default checkpoint interval, of verifying alone, of the
     * install step's read-back pass, of the two plain writes, and of verify + write with a
     * checkpoint after every chunk (the agent before checkpoints had an interval).
     */
    record Result(double install, double verifyOnly, double readBack, double plainOneFsync, double plainFsyncPerChunk,
                  double installCheckpointPerChunk) {
    }

    private record Timed(double writeMibs, double readBackMibs) {
    }

    private InstallBench() {
    }

    static Result run(Path dir, Path bundle, PublicKey key) throws Exception {
        VerifiedManifest v;
        byte[] header;
        byte[][] chunks;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 20)) {
            v = BundleReader.open(in, key);
            ChunkVerifier cv = v.chunkVerifier();
            chunks = new byte[cv.chunkCount()][];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = in.readNBytes(cv.chunkLength(i));
            }
        }
        try (InputStream in = Files.newInputStream(bundle)) {
            header = in.readNBytes((int) v.payloadOffset());
        }
        BundleManifest m = v.manifest();
        BundleRef ref = new BundleRef(sha256(bundle), Files.size(bundle), v.payloadOffset(), m.chunkSize(), m.chunkCount());
        double mib = m.slotSize() / 1048576.0;

        // the transfer rows before leave a heap of 1 MiB chunks: collect it now, not during the timed passes
        System.gc();
        ChunkVerifier verifier = v.chunkVerifier();
        double verifyOnly = BestOfThree.rate(() -> {
            long tv = System.nanoTime();
            for (int i = 0; i < chunks.length; i++) {
                verifier.verify(i, chunks[i], 0, chunks[i].length);
            }
            return mib / secondsSince(tv);
        });

        // -Dbench.syncBytes=N measures another checkpoint interval than the agent's default.
        long syncBytes = Long.getLong("bench.syncBytes", AgentConfig.DEFAULT_SYNC_BYTES);
        Path plain = dir.resolve("plain.img");
        List<Timed> best = BestOfThree.interleaved(List.of(
                () -> install(Files.createTempDirectory(dir, "install-"), key, header, chunks, ref, m, syncBytes),
                () -> new Timed(plainWrite(plain, chunks, false, mib), 0),
                () -> install(Files.createTempDirectory(dir, "install-per-chunk-"), key, header, chunks, ref, m, 0),
                () -> new Timed(plainWrite(plain, chunks, true, mib), 0)), Timed::writeMibs);
        Files.deleteIfExists(plain);
        Timed checkpointed = best.get(0);
        return new Result(checkpointed.writeMibs(), verifyOnly, checkpointed.readBackMibs(), best.get(1).writeMibs(),
                best.get(3).writeMibs(), best.get(2).writeMibs());
    }

    /** One update into slot B of a fresh device disk in the empty directory {@code dir}, as the agent's update driver does it. */
    private static Timed install(Path dir, PublicKey key, byte[] header, byte[][] chunks, BundleRef ref, BundleManifest m,
                                 long syncBytes) throws Exception {
        long slotBytes = (m.slotSize() + (4 << 20) - 1) / (4 << 20) * (4 << 20);
        Path disk = dir.resolve("disk.img");
        new DeviceDisk(4 * DeviceDisk.MIB, slotBytes, 4 * DeviceDisk.MIB).write(disk, "bench-install", new byte[4096]);
        Files.writeString(dir.resolve("cmdline"), "console=ttyAMA0 root=/dev/ram0 fleetkit.slot=A\n");
        AgentConfig c = AgentConfig.parse(Map.of("board", SimulatedDevice.BOARD, "version", "1.0.0", "versionNumber", "1000000",
                "broker.url", "tcp://127.0.0.1:1", "disk.device", disk.toString(), "boot.backend", "uboot-script",
                "data.dir", dir.resolve("data").toString(), "proc.cmdline", dir.resolve("cmdline").toString(),
                "download.syncBytes", Long.toString(syncBytes)), "install bench");
        BootBackend boot = BootBackends.create(c);
        UpdateStateMachine machine = new UpdateStateMachine("bench-install", "bench-boot", c.versionNumber(), new AgentStateStore(c.dataDir()),
                boot, kind -> { }, new BundleCheck(c.board(), List.of(key), disk, Clock.systemUTC()),
                new SlotDownload(disk, boot, c.downloadSyncBytes()), Clock.systemUTC(), EventSink.NONE);
        machine.resume();
        if (!machine.offer(new DesiredUpdate(m.version(), m.versionNumber(), "bench", ref, null))) {
            throw new IllegalStateException("the bench device did not take the update");
        }
        ChunkVerifier verifier = machine.acceptHeader(header).chunkVerifier();
        double mib = m.slotSize() / 1048576.0;

        long t0 = System.nanoTime();
        for (int i = 0; i < chunks.length; i++) {
            verifier.verify(i, chunks[i], 0, chunks[i].length);
            machine.slotWriter().writeChunk(m, i, chunks[i], chunks[i].length);
            machine.chunksDone(i + 1);
        }
        double write = mib / secondsSince(t0);
        long t1 = System.nanoTime();
        machine.install();
        double readBack = mib / secondsSince(t1);
        if (machine.state().state() != UpdateState.REBOOTING) {
            throw new IllegalStateException("the bench install ended " + machine.state().state() + ": " + machine.state().message());
        }
        Files.deleteIfExists(disk);
        return new Timed(write, readBack);
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

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
