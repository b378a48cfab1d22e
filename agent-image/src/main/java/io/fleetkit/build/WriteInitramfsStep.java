package io.fleetkit.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.fleetkit.events.UsageException;
import io.fleetkit.formats.cpio.CpioNewcWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes the root tree as a compressed cpio {@code newc} initramfs: entries in path order,
 * every timestamp {@code SOURCE_DATE_EPOCH}, owners from the tree. gzip by default; the gzip
 * header carries no time or name, so the bytes depend only on the tree.
 */
final class WriteInitramfsStep implements BuildStep<InitramfsImage> {

    private final BuildInputs in;
    private final RootFilesystem root;

    WriteInitramfsStep(BuildInputs in, RootFilesystem root) {
        this.in = in;
        this.root = root;
    }

    @Override
    public String name() {
        return "initramfs";
    }

    @Override
    public InitramfsImage run() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 << 20);
        long uncompressed;
        try (OutputStream compressed = compressor(in.request().compression(), bytes)) {
            CpioNewcWriter cpio = new CpioNewcWriter(compressed, in.epoch().getEpochSecond());
            for (Map.Entry<String, RootEntry> e : root.tree().entries().entrySet()) {
                write(cpio, e.getKey(), e.getValue());
            }
            cpio.finish();
            uncompressed = cpio.size();
        }
        return new InitramfsImage(bytes.toByteArray(), uncompressed, in.request().compression());
    }

    private static void write(CpioNewcWriter cpio, String path, RootEntry entry) throws IOException {
        if (entry instanceof RootEntry.Directory d) {
            cpio.directory(path, d.mode(), d.uid(), d.gid());
        } else if (entry instanceof RootEntry.File f) {
            cpio.file(path, f.mode(), f.uid(), f.gid(), f.content());
        } else if (entry instanceof RootEntry.Symlink s) {
            cpio.symlink(path, s.target(), s.uid(), s.gid());
        } else if (entry instanceof RootEntry.CharDevice d) {
            cpio.charDevice(path, d.mode(), d.uid(), d.gid(), d.major(), d.minor());
        }
    }

    static OutputStream compressor(String kind, OutputStream out) throws IOException {
        return switch (kind) {
            case "gzip" -> new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            };
            // The kernel's xz decoder wants CRC32 checks and no filters it lacks.
            case "xz" -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
            case "zstd" -> new ZstdOutputStream(out, 19);
            default -> throw new UsageException("build.bad-compression", "unknown initramfs compression '" + kind + "'",
                    "use gzip, zstd or xz");
        };
    }
}
