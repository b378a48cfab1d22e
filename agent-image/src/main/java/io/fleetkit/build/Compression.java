package io.fleetkit.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.fleetkit.events.UsageException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The compressors of the initramfs and the kernel, each with the settings that decide its bytes.
 * {@link #cacheKind} names those settings: change a setting and change the name, or the build
 * cache would hand out bytes the new settings do not make.
 */
final class Compression {

    private Compression() {
    }

    /** gzip -9 with no time or name in its header, xz preset 6 with CRC32, or zstd level 19. */
    static OutputStream stream(String kind, OutputStream out) throws IOException {
        return switch (kind) {
            case "gzip" -> new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            };
            // The kernel's xz decoder wants CRC32 checks and no filters it lacks.
            case "xz" -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
            case "zstd" -> new ZstdOutputStream(out, 19);
            default -> throw unknown(kind);
        };
    }

    /** The name of the build-cache entries that hold what {@link #stream} makes of some bytes. */
    static String cacheKind(String kind) {
        return switch (kind) {
            case "gzip" -> "compressed-gzip-9-v1";
            case "xz" -> "compressed-xz-6-crc32-v1";
            case "zstd" -> "compressed-zstd-19-v1";
            default -> throw unknown(kind);
        };
    }

    private static UsageException unknown(String kind) {
        return new UsageException("build.bad-compression", "unknown initramfs compression '" + kind + "'",
                "use gzip, zstd or xz");
    }
}
