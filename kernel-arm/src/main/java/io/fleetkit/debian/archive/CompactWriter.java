package io.fleetkit.debian.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Appends unsigned LEB128 varints, bytes and length-prefixed UTF-8 strings; {@link CompactReader} reads them. */
final class CompactWriter extends ByteArrayOutputStream {

    CompactWriter() {
        super(1 << 20);
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        write((int) v);
    }

    void u8(int v) {
        write(v);
    }

    void bytes(byte[] b) {
        write(b, 0, b.length);
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        bytes(b);
    }
}
