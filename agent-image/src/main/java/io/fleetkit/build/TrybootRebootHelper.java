package io.fleetkit.build;

import io.fleetkit.board.Architecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@code /bin/fleetkit-reboot}, the reboot that starts a firmware tryboot trial (rpi-tryboot): {@code sync()},
 * then {@code reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, "0 tryboot")}. The
 * Raspberry Pi kernel's firmware driver hears {@code " tryboot"} in the restart command and sets the
 * firmware's one-shot flag; busybox's {@code reboot} cannot pass an argument. There is no cross compiler
 * here, so the program is a tiny static aarch64 ELF written byte by byte: one read+execute PT_LOAD segment
 * holding the ELF header, the program header, 14 instructions and the argument string; no libc, no
 * dynamic loader, no section headers. It takes no arguments (the agent may pass {@code tryboot}; it is
 * ignored), and exits 1 only if {@code reboot} returns (no {@code CAP_SYS_BOOT}). Never run it on the
 * build host. Checked by readelf and objdump from binutils-aarch64-linux-gnu in the tests.
 */
public final class TrybootRebootHelper {

    /** Where the image carries it: the agent's default {@code reboot.trybootCommand}. */
    public static final String PATH = "/bin/fleetkit-reboot";

    static final long BASE = 0x400000;
    static final int ELF_HEADER = 64;
    static final int PROGRAM_HEADER = 56;
    /** The first instruction: right after the two headers (120, a multiple of 4 as A64 needs). */
    static final int CODE = ELF_HEADER + PROGRAM_HEADER;

    static final int SYS_SYNC = 81;      // asm-generic/unistd.h, which arm64 uses
    static final int SYS_REBOOT = 142;
    static final int SYS_EXIT = 93;
    static final int MAGIC1 = 0xfee1dead;
    static final int MAGIC2 = 0x28121969;
    static final int CMD_RESTART2 = 0xa1b2c3d4;
    static final String ARGUMENT = "0 tryboot";

    private TrybootRebootHelper() {
    }

    /** The program for {@code arch}; only arm64 (no Pi 4 profile runs 32-bit). */
    public static byte[] elf(Architecture arch) {
        if (arch != Architecture.ARM64) {
            throw new IllegalArgumentException("the tryboot reboot helper exists for arm64 only, not " + arch);
        }
        int[] code = {
                movz(8, SYS_SYNC, 0),            // 0x00 mov  x8, #81            sync's number
                SVC0,                            // 0x04 svc  #0                 sync(): flush what the agent wrote
                movz(0, MAGIC1 & 0xffff, 0),     // 0x08 mov  x0, #0xdead
                movk(0, MAGIC1 >>> 16, 16),      // 0x0c movk x0, #0xfee1, lsl #16   x0 = LINUX_REBOOT_MAGIC1
                movz(1, MAGIC2 & 0xffff, 0),     // 0x10 mov  x1, #0x1969
                movk(1, MAGIC2 >>> 16, 16),      // 0x14 movk x1, #0x2812, lsl #16   x1 = LINUX_REBOOT_MAGIC2
                movz(2, CMD_RESTART2 & 0xffff, 0), // 0x18 mov  x2, #0xc3d4
                movk(2, CMD_RESTART2 >>> 16, 16),  // 0x1c movk x2, #0xa1b2, lsl #16   x2 = LINUX_REBOOT_CMD_RESTART2
                adr(3, 0x38 - 0x20),             // 0x20 adr  x3, .+0x18         x3 = "0 tryboot" (after the code)
                movz(8, SYS_REBOOT, 0),          // 0x24 mov  x8, #142
                SVC0,                            // 0x28 svc  #0                 reboot(x0, x1, x2, x3): returns only on error
                movz(0, 1, 0),                   // 0x2c mov  x0, #1
                movz(8, SYS_EXIT, 0),            // 0x30 mov  x8, #93
                SVC0,                            // 0x34 svc  #0                 exit(1)
        };
        byte[] argument = (ARGUMENT + "\0").getBytes(StandardCharsets.US_ASCII);
        int size = CODE + code.length * 4 + argument.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header (Elf64_Ehdr)
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */, 0 /* System V ABI */});
        b.put(new byte[8]);                 // ABI version and padding
        b.putShort((short) 2);              // e_type ET_EXEC
        b.putShort((short) 183);            // e_machine EM_AARCH64
        b.putInt(1);                        // e_version
        b.putLong(BASE + CODE);             // e_entry
        b.putLong(ELF_HEADER);              // e_phoff
        b.putLong(0);                       // e_shoff: no section headers
        b.putInt(0);                        // e_flags
        b.putShort((short) ELF_HEADER);     // e_ehsize
        b.putShort((short) PROGRAM_HEADER); // e_phentsize
        b.putShort((short) 1);              // e_phnum
        b.putShort((short) 0);              // e_shentsize
        b.putShort((short) 0);              // e_shnum
        b.putShort((short) 0);              // e_shstrndx
        // the one program header (Elf64_Phdr): the whole file, loaded at BASE, read + execute
        b.putInt(1);                        // p_type PT_LOAD
        b.putInt(5);                        // p_flags PF_R | PF_X
        b.putLong(0);                       // p_offset
        b.putLong(BASE);                    // p_vaddr
        b.putLong(BASE);                    // p_paddr
        b.putLong(size);                    // p_filesz
        b.putLong(size);                    // p_memsz
        b.putLong(0x10000);                 // p_align: 64 KiB, right for 4K, 16K and 64K page kernels
        for (int instruction : code) {
            b.putInt(instruction);
        }
        b.put(argument);
        return b.array();
    }

    private static final int SVC0 = 0xd4000001;

    /** MOVZ Xd, #imm16, LSL #shift (64-bit). */
    static int movz(int rd, int imm16, int shift) {
        return 0xd2800000 | (shift / 16) << 21 | (imm16 & 0xffff) << 5 | rd;
    }

    /** MOVK Xd, #imm16, LSL #shift (64-bit): keeps the other bits. */
    static int movk(int rd, int imm16, int shift) {
        return 0xf2800000 | (shift / 16) << 21 | (imm16 & 0xffff) << 5 | rd;
    }

    /** ADR Xd, PC + offset (a 21-bit signed byte offset: low 2 bits in immlo, the rest in immhi). */
    static int adr(int rd, int offset) {
        return 0x10000000 | (offset & 3) << 29 | ((offset >> 2) & 0x7ffff) << 5 | rd;
    }
}
