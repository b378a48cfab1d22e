package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.UBootLoadAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fails the build when what a slot holds does not fit the board's U-Boot load addresses: the map must
 * lie inside the board's load window (its RAM), the gzip kernel and the unpacked Image (its header's
 * {@code image_size}, which covers the BSS) inside their rooms, the initramfs inside its own.
 */
final class UBootAddressCheck {

    private static final long MIB = 1024L * 1024L;

    private UBootAddressCheck() {
    }

    static void require(String board, UBootLoadAddresses a, long windowBytes, long imageSize, long gzipKernelBytes,
                        long initramfsBytes) {
        List<String> problems = new ArrayList<>();
        if (a.end() > windowBytes) {
            problems.add("the load addresses reach " + UBootLoadAddresses.hex(a.end()) + ", outside the "
                    + windowBytes / MIB + " MiB of RAM every " + board + " model leaves U-Boot");
        }
        if (imageSize > a.kernelRoom() || imageSize > a.kernelCompRoom()) {
            problems.add("the unpacked kernel needs " + mib(imageSize) + " but kernel_addr_r " + UBootLoadAddresses.hex(a.kernel())
                    + " leaves " + mib(a.kernelRoom()) + " and kernel_comp_addr_r " + UBootLoadAddresses.hex(a.kernelComp())
                    + " leaves " + mib(a.kernelCompRoom()));
        }
        if (gzipKernelBytes > a.kernelRoom()) {
            problems.add("the gzip kernel (" + mib(gzipKernelBytes) + ") does not fit at kernel_addr_r (" + mib(a.kernelRoom()) + ")");
        }
        if (initramfsBytes > a.ramdiskRoom()) {
            problems.add("the initramfs (" + mib(initramfsBytes) + ") does not fit at ramdisk_addr_r "
                    + UBootLoadAddresses.hex(a.ramdisk()) + " (" + mib(a.ramdiskRoom()) + " to " + UBootLoadAddresses.hex(a.end()) + ")");
        }
        if (!problems.isEmpty()) {
            throw new FleetkitException("build.uboot-addresses", board + ": " + String.join("; ", problems),
                    "make the initramfs smaller (fewer packages), or use a kernel that fits");
        }
    }

    /** The arm64 Image header's image_size (bytes 16-23, little-endian): what the kernel occupies once unpacked, BSS included. */
    static long imageSize(Path kernel) throws IOException {
        try (InputStream raw = Files.newInputStream(kernel)) {
            InputStream in = raw.markSupported() ? raw : new java.io.BufferedInputStream(raw);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            InputStream image = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
            byte[] header = image.readNBytes(64);
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            if (header.length < 64 || b.getInt(56) != 0x644d5241) {
                throw new FleetkitException("build.not-an-arm64-image", kernel + " is not an arm64 Image (no ARM\\x64 magic)", null);
            }
            long size = b.getLong(16);
            return size != 0 ? size : Files.size(kernel);
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
