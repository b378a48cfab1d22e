package io.fleetkit.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.fleetkit.events.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** {@code .img.xz} and {@code .img.zst} for downloads and {@code fleet flash}, on request. */
final class CompressImageStep implements BuildStep<List<Path>> {

    private final BuildInputs in;
    private final DiskImage disk;

    CompressImageStep(BuildInputs in, DiskImage disk) {
        this.in = in;
        this.disk = disk;
    }

    static boolean needed(BuildInputs in) {
        return in.wants(OutputFormat.IMG_XZ) || in.wants(OutputFormat.IMG_ZST);
    }

    @Override
    public String name() {
        return "compress";
    }

    /** Returns the compressed images written. */
    @Override
    public List<Path> run() throws IOException {
        List<Path> written = new ArrayList<>();
        if (in.wants(OutputFormat.IMG_XZ)) {
            written.add(compress(disk.file(), in.outputs().path(OutputFormat.IMG_XZ), "xz"));
        }
        if (in.wants(OutputFormat.IMG_ZST)) {
            written.add(compress(disk.file(), in.outputs().path(OutputFormat.IMG_ZST), "zstd"));
        }
        return List.copyOf(written);
    }

    private Path compress(Path img, Path target, String kind) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".compress-", ".tmp");
        long total = Files.size(img);
        String task = "compress " + target.getFileName();
        try (InputStream source = Files.newInputStream(img);
             OutputStream file = Files.newOutputStream(tmp);
             OutputStream out = kind.equals("xz") ? new XZOutputStream(file, new LZMA2Options(6))
                     : new ZstdOutputStream(file, 10)) {
            byte[] buf = new byte[1 << 20];
            long done = 0;
            int n;
            while ((n = source.read(buf)) > 0) {
                out.write(buf, 0, n);
                done += n;
                in.events().progress(task, done, total, Event.Unit.BYTES);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
