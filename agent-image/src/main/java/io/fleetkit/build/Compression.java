package io.fleetkit.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.fleetkit.events.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The compressors of the initramfs and the kernel, each with the settings that decide its bytes.
 * {@link #cacheKind} names those settings: change a setting and change the name, or the build
 * cache would hand out bytes the new settings do not make. The name also carries a fingerprint of
 * what the compressor in this process makes of a fixed probe, because the library is not always
 * ours: Debian's JDK deflates with the system zlib, and another zlib (or another xz or zstd
 * version) may compress the same input into other bytes, which a cache shared by two machines, or
 * kept across an upgrade, must not hand out as if they were this build's.
 */
final class Compression {

    private static final Map<String, String> KINDS = new ConcurrentHashMap<>();

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

    /** The name of the build-cache entries that hold what {@link #stream} makes of some bytes in this process. */
    static String cacheKind(String kind) throws IOException {
        String settings = switch (kind) {
            case "gzip" -> "gzip-9";
            case "xz" -> "xz-6-crc32";
            case "zstd" -> "zstd-19";
            default -> throw unknown(kind);
        };
        String known = KINDS.get(kind);
        if (known == null) {
            known = "compressed-" + settings + "-v1-" + fingerprint(kind);
            KINDS.put(kind, known);
        }
        return known;
    }

    /** The first 16 hex digits of the SHA-256 of the probe compressed: a few milliseconds, once per process. */
    private static String fingerprint(String kind) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = stream(kind, out)) {
            c.write(probe());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** 256 KiB of words and numbers in a fixed order: long and short matches, literals, more than one block. */
    static byte[] probe() {
        String[] words = {"fleet", "slot", "kernel", "initramfs", "busybox", "agent", "update", "0", "42", "\n", "/usr/lib/",
                "libc.so.6", "ELF", "\u0000\u0000\u0000\u0000", "zzzzzzzz", "Q"};
        StringBuilder b = new StringBuilder(1 << 18);
        long x = 0x2545F4914F6CDD1DL;
        while (b.length() < (1 << 18)) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;   // xorshift: the same sequence in every JVM
            b.append(words[(int) (x >>> 60)]).append((x & 3) == 0 ? '\n' : ' ').append((x >>> 20) & 0xFFF);
        }
        return b.substring(0, 1 << 18).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static UsageException unknown(String kind) {
        return new UsageException("build.bad-compression", "unknown initramfs compression '" + kind + "'",
                "use gzip, zstd or xz");
    }
}
