package io.fleetkit.ota.bundle;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a signed {@code .bundle} (layout in {@link BundleFormat}): measures the slot image,
 * makes and signs the manifest, then streams the image after it. Same inputs, same key and same
 * {@code createdAt} give the same bytes.
 */
public final class BundleWriter {

    private BundleWriter() {
    }

    /** Writes the bundle to {@code out} (not closed) and returns the manifest it signed. */
    public static BundleManifest write(BundleRelease release, Path slotImage, SigningKey key, OutputStream out) throws IOException {
        BundleManifest manifest = manifestFor(release, slotImage, key);
        byte[] manifestBytes = manifest.canonicalBytes();
        byte[] signature = BundleSigner.sign(manifestBytes, key.privateKey());
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
        data.write(BundleFormat.MAGIC);
        data.writeInt(manifestBytes.length);
        data.write(manifestBytes);
        data.writeInt(signature.length);
        data.write(signature);
        SlotDigests copied;
        try (InputStream in = Files.newInputStream(slotImage)) {
            copied = SlotDigests.measure(in, manifest.chunkSize(), data);
        }
        data.flush();
        if (copied.size() != manifest.slotSize() || !copied.sha256().equals(manifest.slotSha256())) {
            throw new IOException(slotImage + " changed while the bundle was written");
        }
        return manifest;
    }

    /**
     * Writes the bundle as {@code dir/<name>-<version>.bundle} through a temporary file moved into
     * place, so a reader never sees half a bundle. Returns the path.
     */
    public static Path writeFile(BundleRelease release, Path slotImage, SigningKey key, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".bundle-", ".tmp");
        try {
            BundleManifest manifest;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                manifest = write(release, slotImage, key, out);
            }
            Path target = dir.resolve(BundleFormat.fileName(manifest));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The manifest that {@link #write} would sign for this slot image. */
    public static BundleManifest manifestFor(BundleRelease release, Path slotImage, SigningKey key) throws IOException {
        SlotDigests digests;
        try (InputStream in = Files.newInputStream(slotImage)) {
            digests = SlotDigests.measure(in, release.chunkSize(), null);
        }
        return new BundleManifest(BundleManifest.FORMAT_VERSION, release.name(), release.version(), release.board(),
                release.versionNumber(), release.allowDowngrade(), digests.size(), digests.sha256(), release.chunkSize(),
                digests.chunkSha256(), release.createdAt(), release.expiresAt(), key.keyId());
    }
}
