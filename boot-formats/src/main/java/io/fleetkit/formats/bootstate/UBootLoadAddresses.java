package io.fleetkit.formats.bootstate;

/**
 * Where {@code boot.scr} puts what it loads, for boards whose U-Boot defaults do not fit a gzip
 * kernel (Raspberry Pi: U-Boot's {@code kernel_addr_r=0x80000} leaves 38 MiB before its
 * {@code ramdisk_addr_r}, and {@code booti} needs {@code kernel_comp_addr_r} inside DRAM). The map
 * is fixed per board, not per build, because the script on p1 stays while updates bring new
 * kernels: the build checks that each kernel and initramfs fits its room ({@link #kernelRoom()}...).
 *
 * <pre>
 * kernel      [kernel, fdt)          the gzip kernel as loaded, then the unpacked Image (2 MiB aligned)
 * fdt         [fdt, firmwareFdt)     the device tree handed to the kernel
 * firmwareFdt [firmwareFdt, comp)    a copy of the firmware's tree, taken before anything is loaded
 * comp        [comp, ramdisk)        where booti unpacks the gzip kernel before moving it to kernel
 *                                    (U-Boot 2023.01 cmd/booti.c), so as large as the unpacked Image
 * ramdisk     [ramdisk, end)         the initramfs
 * </pre>
 *
 * @param end the first byte the map may not use: the smallest supported model's RAM less what
 *            its GPU and U-Boot itself (relocated to the top, with its heap and stack) take
 */
public record UBootLoadAddresses(long kernel, long fdt, long firmwareFdt, long kernelComp, long ramdisk, long end) {

    private static final long MIB = 1024L * 1024L;

    public UBootLoadAddresses {
        if (!(0 < kernel && kernel < fdt && fdt < firmwareFdt && firmwareFdt < kernelComp && kernelComp < ramdisk
                && ramdisk < end)) {
            throw new IllegalArgumentException("load addresses must ascend: " + this);
        }
        if (kernel % (2 * MIB) != 0) {
            throw new IllegalArgumentException("the kernel address must be 2 MiB aligned: " + hex(kernel));
        }
    }

    /**
     * The Raspberry Pi map: everything inside the low {@code endBytes}. 62 MiB for the unpacked kernel
     * (Debian's 6.1 arm64 Image is 32 MiB) and as much to unpack it in, the rest from 128 MiB on for
     * the initramfs (256 MiB with the Pi's 384 MiB window).
     */
    public static UBootLoadAddresses raspberryPi(long endBytes) {
        return new UBootLoadAddresses(2 * MIB, 64 * MIB, 64 * MIB + 512 * 1024, 65 * MIB, 128 * MIB, endBytes);
    }

    public long kernelRoom() {
        return fdt - kernel;
    }

    public long fdtRoom() {
        return firmwareFdt - fdt;
    }

    public long kernelCompRoom() {
        return ramdisk - kernelComp;
    }

    public long ramdiskRoom() {
        return end - ramdisk;
    }

    public static String hex(long address) {
        return String.format("0x%08x", address);
    }
}
