package io.fleetkit.netboot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file a client may fetch: a file of an image tree, or bytes made for the request (a boot
 * script). Read by position, since TFTP retransmits and HTTP serves ranges.
 */
public final class ServedFile {

    /** Positional reader; close it when the transfer ends. */
    public interface Source extends Closeable {
        /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, -1 at the end. */
        int read(long position, ByteBuffer dst) throws IOException;
    }

    private final String name;
    private final Path path;
    private final byte[] bytes;
    private final long size;

    private ServedFile(String name, Path path, byte[] bytes, long size) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
        this.size = size;
    }

    public static ServedFile of(String name, Path path) throws IOException {
        return new ServedFile(name, path, null, java.nio.file.Files.size(path));
    }

    public static ServedFile of(String name, byte[] bytes) {
        return new ServedFile(name, null, bytes, bytes.length);
    }

    /** The name the client asked for (normalised). */
    public String name() {
        return name;
    }

    /** The size when resolved; a file that changes while being served is the operator's problem. */
    public long size() {
        return size;
    }

    public boolean generated() {
        return bytes != null;
    }

    public Source open() throws IOException {
        if (bytes != null) {
            return new Source() {
                @Override
                public int read(long position, ByteBuffer dst) {
                    if (position >= bytes.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), bytes.length - position);
                    dst.put(bytes, (int) position, n);
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new Source() {
            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return ch.read(dst, position);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
