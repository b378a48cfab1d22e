package io.fleetkit.flash;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.XZInputStream;

/** How an image file is compressed, told by its name; each decodes while streaming. */
public enum Compression {
    NONE(""), XZ(".xz"), GZIP(".gz"), ZSTD(".zst"), BZIP2(".bz2");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public static Compression ofName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c != NONE && lower.endsWith(c.suffix)) {
                return c;
            }
        }
        return NONE;
    }

    /** The name without this compression's suffix ({@code gw.img.xz} becomes {@code gw.img}). */
    public String strip(String name) {
        return this == NONE ? name : name.substring(0, name.length() - suffix.length());
    }

    /** Wraps {@code raw} in a decoder; concatenated streams (pigz, pbzip2, xz -T) are read whole. */
    public InputStream decode(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        return switch (this) {
            case NONE -> in;
            case XZ -> new XZInputStream(in);
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
        };
    }
}
