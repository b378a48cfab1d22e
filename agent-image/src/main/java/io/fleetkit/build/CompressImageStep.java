package io.fleetkit.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.fleetkit.events.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** {@code .img.xz} and {@code .img.zst} for downloads and {@code fleet flash}, on request. */
final class CompressImageStep implements BuildStep {

    @Override
    public String name() {
        return "compress";
    }

    @Override
    public boolean needed(BuildContext c) {
        return c.request.wants(OutputFormat.IMG_XZ) || c.request.wants(OutputFormat.IMG_ZST);
    }

    @Override
    public void run(BuildContext c) throws IOException {
        Path img = c.outputs.path(OutputFormat.IMG);
        if (c.request.wants(OutputFormat.IMG_XZ)) {
            compress(c, img, c.outputs.path(OutputFormat.IMG_XZ), "xz");
        }
        if (c.request.wants(OutputFormat.IMG_ZST)) {
            compress(c, img, c.outputs.path(OutputFormat.IMG_ZST), "zstd");
        }
    }

    private static void compress(BuildContext c, Path img, Path target, String kind) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".compress-", ".tmp");
        long total = Files.size(img);
        String task = "compress " + target.getFileName();
        try (InputStream in = Files.newInputStream(img);
             OutputStream file = Files.newOutputStream(tmp);
             OutputStream out = kind.equals("xz") ? new XZOutputStream(file, new LZMA2Options(6))
                     : new ZstdOutputStream(file, 10)) {
            byte[] buf = new byte[1 << 20];
            long done = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                done += n;
                c.events.progress(task, done, total, Event.Unit.BYTES);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
