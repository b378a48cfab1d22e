package io.fleetkit.ota.agent;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.formats.testing.HostTool;
import io.fleetkit.formats.testing.TestDisk;
import io.fleetkit.ota.bundle.BundleManifest;
import io.fleetkit.ota.bundle.BundleRelease;
import io.fleetkit.ota.bundle.BundleWriter;
import io.fleetkit.ota.bundle.SigningKey;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.DesiredUpdate;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/** Slot images (real FAT volumes holding slot.json), keys and signed bundles for the agent tests. */
final class TestSlots {

    static final String BOARD = "qemu-arm64";
    static final int CHUNK = 64 * 1024;

    private TestSlots() {
    }

    static SigningKey newKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new SigningKey(pair.getPrivate(), pair.getPublic());
    }

    /** A FAT slot image of {@code size} bytes with slot.json naming {@code version} and some payload. */
    static Path slotImage(Path dir, String version, long size) throws Exception {
        Files.createDirectories(dir);
        Path img = dir.resolve("slot.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(size);
        }
        HostTool.ok(TestDisk.DOSFSTOOLS, "mkfs.vfat", "-n", "SLOT", img.toString());
        Path json = Files.writeString(dir.resolve("slot.json"), "{\"version\":\"" + version + "\"}");
        HostTool.ok(TestDisk.MTOOLS, "mcopy", "-i", img.toString(), json.toString(), "::/slot.json");
        byte[] kernel = new byte[(int) (size * 3 / 4)];
        new java.util.Random(version.hashCode()).nextBytes(kernel);
        Path k = Files.write(dir.resolve("Image"), kernel);
        HostTool.ok(TestDisk.MTOOLS, "mcopy", "-i", img.toString(), k.toString(), "::/Image");
        return img;
    }

    static void writeSlot(TestDisk disk, Slot slot, byte[] image) throws Exception {
        MbrPartition p = MbrReader.read(disk.image).require(slot.partition(), "slot");
        try (RandomAccessFile f = new RandomAccessFile(disk.image.toFile(), "rw")) {
            f.seek(p.startByte());
            f.write(image);
        }
    }

    static byte[] readSlot(TestDisk disk, Slot slot) throws Exception {
        MbrPartition p = MbrReader.read(disk.image).require(slot.partition(), "slot");
        byte[] b = new byte[(int) p.sizeBytes()];
        try (RandomAccessFile f = new RandomAccessFile(disk.image.toFile(), "r")) {
            f.seek(p.startByte());
            f.readFully(b);
        }
        return b;
    }

    /** A signed bundle and what the server would announce for it. */
    record Bundle(byte[] bytes, BundleManifest manifest, long headerSize) {
        BundleRef ref() {
            try {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                return new BundleRef(sha, bytes.length, headerSize, manifest.chunkSize(), manifest.chunkCount());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        DesiredUpdate desired() {
            return new DesiredUpdate(manifest.version(), manifest.versionNumber(), "r-1", ref(), null);
        }

        byte[] header() {
            return Arrays.copyOf(bytes, (int) headerSize);
        }

        byte[] chunk(int i) {
            int off = (int) (headerSize + (long) i * manifest.chunkSize());
            return Arrays.copyOfRange(bytes, off, off + manifest.chunkLength(i));
        }
    }

    static Bundle bundle(BundleRelease release, Path slotImage, SigningKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleManifest m = BundleWriter.write(release, slotImage, key, out);
        byte[] bytes = out.toByteArray();
        return new Bundle(bytes, m, bytes.length - m.slotSize());
    }

    static BundleRelease release(String version, long versionNumber) {
        return BundleRelease.of("gateway", version, BOARD, versionNumber, Instant.now().minusSeconds(60)).withChunkSize(CHUNK);
    }
}
