package io.fleetkit.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds the smallest ELF relocatable with a .modinfo section, as modpost leaves in a .ko. */
final class ElfFixture {

    private ElfFixture() {
    }

    static byte[] module64(String modinfo) {
        return build(modinfo, true);
    }

    static byte[] module32(String modinfo) {
        return build(modinfo, false);
    }

    private static byte[] build(String modinfo, boolean is64) {
        byte[] info = modinfo.getBytes(StandardCharsets.UTF_8);
        byte[] names = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int ehsize = is64 ? 64 : 52;
        int shentsize = is64 ? 64 : 40;
        int infoOffset = ehsize;
        int namesOffset = infoOffset + info.length;
        int shoff = (namesOffset + names.length + 7) & ~7;
        ByteBuffer buf = ByteBuffer.allocate(shoff + 3 * shentsize).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1});
        buf.putShort(16, (short) 1); // ET_REL
        if (is64) {
            buf.putLong(0x28, shoff);
            buf.putShort(0x3A, (short) shentsize);
            buf.putShort(0x3C, (short) 3);
            buf.putShort(0x3E, (short) 2);
        } else {
            buf.putInt(0x20, shoff);
            buf.putShort(0x2E, (short) shentsize);
            buf.putShort(0x30, (short) 3);
            buf.putShort(0x32, (short) 2);
        }
        buf.put(infoOffset, info);
        buf.put(namesOffset, names);
        section(buf, shoff + shentsize, is64, 1, infoOffset, info.length);
        section(buf, shoff + 2 * shentsize, is64, 10, namesOffset, names.length);
        return buf.array();
    }

    private static void section(ByteBuffer buf, int at, boolean is64, int name, long offset, long size) {
        buf.putInt(at, name);
        buf.putInt(at + 4, is64 && name == 10 || !is64 && name == 10 ? 3 : 1);
        if (is64) {
            buf.putLong(at + 0x18, offset);
            buf.putLong(at + 0x20, size);
        } else {
            buf.putInt(at + 0x10, (int) offset);
            buf.putInt(at + 0x14, (int) size);
        }
    }
}
