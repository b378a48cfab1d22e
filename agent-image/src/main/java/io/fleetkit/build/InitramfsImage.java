package io.fleetkit.build;

/**
 * The compressed cpio initramfs ({@link WriteInitramfsStep}), held in memory for the slot and the netboot tree.
 *
 * @param compression gzip, zstd or xz
 */
record InitramfsImage(byte[] bytes, long uncompressedBytes, String compression) {

    BuildReport.Sizes.Initramfs report() {
        return new BuildReport.Sizes.Initramfs(bytes.length, uncompressedBytes, compression);
    }
}
