package io.fleetkit.debian.archive;

import io.fleetkit.debian.archive.DerivedEntry.Damaged;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link CompactWriter} wrote, as untrusted input: every read is bounded by the bytes
 * that are left, and whatever does not fit is a {@link Damaged}, never a larger allocation.
 */
final class CompactReader {

    private final byte[] b;
    private int pos;

    CompactReader(byte[] b) {
        this.b = b;
    }

    /** At most nine bytes, so the value is never negative. */
    long varlong() throws Damaged {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new Damaged("number too long at byte " + pos);
    }

    /** A count of items that each take at least one byte, so it can never exceed what is left. */
    int count() throws Damaged {
        long n = varlong();
        if (n > b.length - pos) {
            throw new Damaged("count " + n + " larger than the " + (b.length - pos) + " bytes left");
        }
        return (int) n;
    }

    /** A reference into a table of {@code size} entries. */
    int index(int size) throws Damaged {
        long i = varlong();
        if (i >= size) {
            throw new Damaged("reference " + i + " outside a table of " + size);
        }
        return (int) i;
    }

    int u8() throws Damaged {
        if (pos >= b.length) {
            throw new Damaged("ends early");
        }
        return b[pos++] & 0xFF;
    }

    byte[] bytes(int n) throws Damaged {
        if (n > b.length - pos) {
            throw new Damaged("ends early");
        }
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    String string() throws Damaged {
        int n = count();
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    void requireEnd(String what) throws Damaged {
        if (pos != b.length) {
            throw new Damaged((b.length - pos) + " bytes after " + what);
        }
    }
}
