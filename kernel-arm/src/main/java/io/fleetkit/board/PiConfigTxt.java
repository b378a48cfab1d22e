package io.fleetkit.board;

import java.util.List;
import java.util.Objects;

/**
 * What goes into a Raspberry Pi {@code config.txt}; render with {@link BootConfigText#configTxt}.
 *
 * @param arm64          start the ARM cores in AArch64 state ({@code arm_64bit=1})
 * @param kernel         kernel file name on the same partition
 * @param initramfs      initramfs file name, or null for none
 * @param enableUart     {@code enable_uart=1}, fixes the core clock so the mini UART keeps its baud rate
 * @param upstreamKernel {@code upstream_kernel=1}: Debian's kernel uses upstream device-tree names
 * @param deviceTree     explicit {@code device_tree=} file, or null to let the firmware pick by board
 * @param overlays       {@code dtoverlay=} entries, in order
 */
public record PiConfigTxt(boolean arm64, String kernel, String initramfs, boolean enableUart,
                          boolean upstreamKernel, String deviceTree, List<String> overlays) {

    public PiConfigTxt {
        Objects.requireNonNull(kernel, "kernel");
        overlays = List.copyOf(overlays);
    }

    /** Fleetkit's usual choice: 64-bit, UART console, upstream DT names, no overlays. */
    public static PiConfigTxt standard(String kernel, String initramfs) {
        return new PiConfigTxt(true, kernel, initramfs, true, true, null, List.of());
    }

    public PiConfigTxt withDeviceTree(String file) {
        return new PiConfigTxt(arm64, kernel, initramfs, enableUart, upstreamKernel, file, overlays);
    }

    public PiConfigTxt withOverlays(List<String> newOverlays) {
        return new PiConfigTxt(arm64, kernel, initramfs, enableUart, upstreamKernel, deviceTree, newOverlays);
    }
}
