package io.fleetkit.ota.bundle;

/**
 * The manifest and signature as read from a bundle, NOT yet verified. Hand it to
 * {@link BundleReader#verify} before trusting anything in it; {@link #unverifiedManifest()} is
 * for display only ({@code fleet bundle inspect}).
 */
public record BundleHeader(byte[] manifestBytes, byte[] signature) {

    public BundleHeader {
        manifestBytes = manifestBytes.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Offset of the slot image in the bundle file. */
    public long payloadOffset() {
        return BundleFormat.headerLength(manifestBytes.length, signature.length);
    }

    /** Decodes the manifest without checking the signature. */
    public BundleManifest unverifiedManifest() {
        return ManifestJson.decode(manifestBytes);
    }
}
