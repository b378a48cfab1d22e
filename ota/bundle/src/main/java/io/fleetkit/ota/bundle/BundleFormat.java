package io.fleetkit.ota.bundle;

import java.nio.charset.StandardCharsets;

/**
 * The {@code .bundle} file layout (also in {@code docs/bundle-format.md}). All integers are
 * unsigned big-endian.
 *
 * <pre>
 * offset   size  field
 * 0        13    magic "FLEETBUNDLE1\n"
 * 13       4     M = manifest length, 1 .. 1048576
 * 17       M     manifest: canonical JSON, UTF-8 (see ManifestJson)
 * 17+M     4     S = signature length, 64 for Ed25519 (readers accept 1 .. 512)
 * 21+M     S     signature: Ed25519 over exactly the M manifest bytes
 * 21+M+S   N     slot image, N = manifest.slotSize; chunk i is bytes [i*chunkSize, min((i+1)*chunkSize, N))
 *                and must hash to manifest.chunkSha256[i]; the whole must hash to manifest.slotSha256
 * </pre>
 *
 * Nothing follows the slot image. The manifest comes first so a device verifies the signature
 * and its own policy before it accepts one payload byte, and then checks every chunk as it
 * arrives.
 */
public final class BundleFormat {

    public static final byte[] MAGIC = "FLEETBUNDLE1\n".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_MANIFEST_LENGTH = 1024 * 1024;
    public static final int MAX_SIGNATURE_LENGTH = 512;
    public static final String FILE_SUFFIX = ".bundle";

    private BundleFormat() {
    }

    /** Bytes before the slot image for a manifest of {@code manifestLength} and a signature of {@code signatureLength}. */
    public static long headerLength(int manifestLength, int signatureLength) {
        return MAGIC.length + 4L + manifestLength + 4L + signatureLength;
    }

    /** The conventional file name, {@code <name>-<version>.bundle}. */
    public static String fileName(BundleManifest m) {
        return m.name() + "-" + m.version() + FILE_SUFFIX;
    }
}
