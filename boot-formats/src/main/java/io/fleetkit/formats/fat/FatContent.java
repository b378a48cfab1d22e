package io.fleetkit.formats.fat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a file to put on a FAT volume. Large files (kernels, initramfs) are streamed
 * from their source when the image is written, so they never sit in memory.
 */
public interface FatContent {

    long size();

    /** Opens a fresh stream over exactly {@link #size()} bytes. */
    InputStream open() throws IOException;

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    static FatContent of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return of(copy.length, () -> new ByteArrayInputStream(copy));
    }

    /** The file's size is taken now; the file must not change before the image is written. */
    static FatContent of(Path file) throws IOException {
        long size = Files.size(file);
        return of(size, () -> Files.newInputStream(file));
    }

    static FatContent of(long size, Opener opener) {
        if (size < 0 || size > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("FAT file size out of range: " + size);
        }
        return new FatContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return opener.open();
            }
        };
    }
}
