package io.fleetkit.formats.ubootenv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The variables of a U-Boot environment and their on-storage form, one copy of it:
 * {@code uint32 crc32} (little-endian, over the whole data area, padding included), then a
 * {@code uint8} flags counter only in the redundant layout (not covered by the CRC), then
 * {@code name=value\0 ... \0\0} padded to the environment size. Variables are kept sorted by
 * name, as U-Boot's own export writes them. Immutable.
 */
public final class UBootEnvironment {

    private final SortedMap<String, String> variables;

    private UBootEnvironment(SortedMap<String, String> variables) {
        this.variables = Collections.unmodifiableSortedMap(variables);
    }

    public static UBootEnvironment of(Map<String, String> variables) {
        TreeMap<String, String> copy = new TreeMap<>();
        variables.forEach((k, v) -> copy.put(checkName(k), checkValue(k, v)));
        return new UBootEnvironment(copy);
    }

    public static UBootEnvironment empty() {
        return new UBootEnvironment(new TreeMap<>());
    }

    public SortedMap<String, String> variables() {
        return variables;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** A copy with the given variables set; a null value removes the variable. */
    public UBootEnvironment with(Map<String, String> changes) {
        TreeMap<String, String> copy = new TreeMap<>(variables);
        changes.forEach((k, v) -> {
            if (v == null) {
                copy.remove(checkName(k));
            } else {
                copy.put(checkName(k), checkValue(k, v));
            }
        });
        return new UBootEnvironment(copy);
    }

    public UBootEnvironment with(String name, String value) {
        TreeMap<String, String> change = new TreeMap<>();
        change.put(name, value);
        return with(change);
    }

    /** One decoded copy: its variables and its flags counter (0 when the layout has none). */
    public record Copy(UBootEnvironment environment, int flags) {
    }

    /**
     * Decodes one copy; empty when the CRC does not match or the variable list does not end
     * inside the copy (an erased or torn copy).
     */
    public static Optional<Copy> decode(byte[] copy, boolean redundant) {
        int header = redundant ? 5 : 4;
        if (copy.length <= header + 1) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        crc.update(copy, header, copy.length - header);
        long stored = ByteBuffer.wrap(copy, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (crc.getValue() != stored) {
            return Optional.empty();
        }
        TreeMap<String, String> vars = new TreeMap<>();
        int pos = header;
        while (pos < copy.length && copy[pos] != 0) {
            int end = pos;
            while (end < copy.length && copy[end] != 0) {
                end++;
            }
            if (end == copy.length) {
                return Optional.empty();
            }
            String entry = new String(copy, pos, end - pos, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq > 0) {
                // entries without a name are skipped, as libubootenv's fw_printenv does
                vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            pos = end + 1;
        }
        if (pos >= copy.length) {
            return Optional.empty();
        }
        return Optional.of(new Copy(new UBootEnvironment(vars), redundant ? copy[4] & 0xff : 0));
    }

    /** Encodes this environment as one copy of {@code size} bytes, with {@code flags} when redundant. */
    public byte[] encode(int size, boolean redundant, int flags) {
        int header = redundant ? 5 : 4;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        variables.forEach((k, v) -> {
            data.writeBytes((k + "=" + v).getBytes(StandardCharsets.UTF_8));
            data.write(0);
        });
        data.write(0);
        if (data.size() > size - header) {
            throw new IllegalArgumentException("U-Boot environment needs " + (data.size() + header)
                    + " bytes, more than the environment size of " + size);
        }
        byte[] out = new byte[size];
        System.arraycopy(data.toByteArray(), 0, out, header, data.size());
        CRC32 crc = new CRC32();
        crc.update(out, header, size - header);
        ByteBuffer.wrap(out, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        if (redundant) {
            out[4] = (byte) flags;
        }
        return out;
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad U-Boot variable name: " + name);
        }
        return name;
    }

    private static String checkValue(String name, String value) {
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad value for U-Boot variable " + name);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UBootEnvironment e && e.variables.equals(variables);
    }

    @Override
    public int hashCode() {
        return variables.hashCode();
    }

    @Override
    public String toString() {
        return variables.toString();
    }
}
