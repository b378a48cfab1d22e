package io.fleetkit.board;

/**
 * Default partition sizes of the A/B disk layout for a board (DESIGN.md, disk layout): p1 boot,
 * p2/p3 slots of {@code slotBytes} each, p4 data. The spec may override them.
 */
public record LayoutDefaults(long bootBytes, long slotBytes, long dataBytes) {

    private static final long MIB = 1024L * 1024L;

    public LayoutDefaults {
        if (bootBytes <= 0 || slotBytes <= 0 || dataBytes <= 0) {
            throw new IllegalArgumentException("layout sizes must be positive: boot=" + bootBytes
                    + " slot=" + slotBytes + " data=" + dataBytes);
        }
    }

    public static LayoutDefaults ofMiB(long bootMiB, long slotMiB, long dataMiB) {
        return new LayoutDefaults(bootMiB * MIB, slotMiB * MIB, dataMiB * MIB);
    }

    /** Boot + two slots + data, without the alignment gap in front of p1. */
    public long totalBytes() {
        return bootBytes + 2 * slotBytes + dataBytes;
    }
}
