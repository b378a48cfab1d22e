package io.fleetkit.netboot;

import java.nio.charset.StandardCharsets;

/**
 * Boot scripts made per client: a pxelinux-style menu for U-Boot's {@code pxe get}/{@code pxe boot}
 * and an iPXE script. U-Boot prefixes every path with the directory of its boot file, so the
 * menu names files relative to where it was fetched from.
 */
public final class BootScripts {

    private BootScripts() {
    }

    /** @param prefix prepended to every file name: "" when served from the image's folder, else "images/NAME/" */
    public static byte[] pxelinux(NetbootImage image, String prefix) {
        StringBuilder b = new StringBuilder();
        b.append("# fleetkit ").append(image.name()).append(' ').append(image.version()).append('\n');
        b.append("DEFAULT fleetkit\nTIMEOUT 0\n\n");
        b.append("LABEL fleetkit\n");
        b.append("  KERNEL ").append(prefix).append(image.kernel()).append('\n');
        b.append("  INITRD ").append(prefix).append(image.initrd()).append('\n');
        if (image.dtbs().size() == 1) {
            b.append("  FDT ").append(prefix).append(image.dtbs().get(0)).append('\n');
        } else if (image.dtbs().size() > 1) {
            // U-Boot picks $fdtfile from this folder.
            b.append("  FDTDIR ").append(prefix).append("dtbs/\n");
        }
        if (!image.cmdline().isEmpty()) {
            b.append("  APPEND ").append(image.cmdline()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @param baseUrl e.g. {@code http://10.0.0.1:80/images/gateway/}, ending in '/' */
    public static byte[] ipxe(NetbootImage image, String baseUrl) {
        String s = "#!ipxe\n"
                + "# fleetkit " + image.name() + " " + image.version() + "\n"
                + "kernel " + baseUrl + image.kernel() + " initrd=" + baseName(image.initrd())
                + (image.cmdline().isEmpty() ? "" : " " + image.cmdline()) + "\n"
                + "initrd " + baseUrl + image.initrd() + "\n"
                + "boot\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
