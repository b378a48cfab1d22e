package io.fleetkit.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code .modinfo} section of a kernel module (an ELF relocatable, 32- or 64-bit,
 * either byte order). Debian's kernel packages ship no modules.dep/modules.alias (depmod makes
 * them at install), so this is how Fleetkit learns dependencies and aliases without running depmod.
 */
final class ModinfoReader {

    private ModinfoReader() {
    }

    /** Parses {@code bytes} (the uncompressed .ko); {@code fallbackName} is used when no {@code name=} is present. */
    static ModuleInfo read(byte[] bytes, String fallbackName, String origin) {
        String modinfo = section(bytes, ".modinfo", origin);
        String name = fallbackName;
        List<String> depends = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        List<String> softdeps = new ArrayList<>();
        for (String entry : modinfo.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            switch (key) {
                case "name" -> name = value;
                case "depends" -> {
                    for (String dep : value.split(",")) {
                        if (!dep.isBlank()) {
                            depends.add(ModuleNames.normalize(dep.strip()));
                        }
                    }
                }
                case "alias" -> aliases.add(value);
                case "softdep" -> softdeps.addAll(parseSoftdep(value));
                default -> { }
            }
        }
        return new ModuleInfo(ModuleNames.normalize(name), depends, aliases, softdeps);
    }

    /** {@code pre: a b post: c} → [a, b, c]. */
    static List<String> parseSoftdep(String value) {
        List<String> names = new ArrayList<>();
        for (String token : value.trim().split("\\s+")) {
            if (!token.isEmpty() && !token.endsWith(":")) {
                names.add(token);
            }
        }
        return names;
    }

    private static String section(byte[] bytes, String wanted, String origin) {
        if (bytes.length < 52 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw bad(origin, "not an ELF file");
        }
        boolean is64 = bytes[4] == 2;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(bytes[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? buf.getLong(0x28) : Integer.toUnsignedLong(buf.getInt(0x20));
        int shentsize = Short.toUnsignedInt(buf.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(buf.getShort(is64 ? 0x3C : 0x30));
        int shstrndx = Short.toUnsignedInt(buf.getShort(is64 ? 0x3E : 0x32));
        if (shnum == 0 || shstrndx >= shnum || shentsize < (is64 ? 64 : 40)
                || shoff < 0 || shoff + (long) shnum * shentsize > bytes.length) {
            throw bad(origin, "section header table out of range");
        }
        long[] names = sectionBounds(buf, bytes.length, shoff + (long) shstrndx * shentsize, is64, origin);
        for (int i = 0; i < shnum; i++) {
            long header = shoff + (long) i * shentsize;
            int nameOffset = buf.getInt((int) header);
            String name = cString(bytes, names[0] + Integer.toUnsignedLong(nameOffset), names[0] + names[1]);
            if (wanted.equals(name)) {
                long[] bounds = sectionBounds(buf, bytes.length, header, is64, origin);
                return new String(bytes, (int) bounds[0], (int) bounds[1], StandardCharsets.UTF_8);
            }
        }
        throw bad(origin, "no " + wanted + " section");
    }

    /** {offset, size} of the section whose header starts at {@code header}, checked against the file. */
    private static long[] sectionBounds(ByteBuffer buf, int fileSize, long header, boolean is64, String origin) {
        int h = (int) header;
        long offset = is64 ? buf.getLong(h + 0x18) : Integer.toUnsignedLong(buf.getInt(h + 0x10));
        long size = is64 ? buf.getLong(h + 0x20) : Integer.toUnsignedLong(buf.getInt(h + 0x14));
        if (offset < 0 || size < 0 || offset + size > fileSize) {
            throw bad(origin, "section out of range");
        }
        return new long[] {offset, size};
    }

    private static String cString(byte[] bytes, long start, long limit) {
        int end = (int) start;
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, (int) start, end - (int) start, StandardCharsets.US_ASCII);
    }

    private static IllegalArgumentException bad(String origin, String why) {
        return new IllegalArgumentException("kernel module " + origin + ": " + why);
    }
}
