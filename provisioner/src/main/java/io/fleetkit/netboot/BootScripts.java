package io.fleetkit.netboot;

import io.fleetkit.formats.uimage.UBootLegacyImage;
import java.nio.charset.StandardCharsets;

/**
 * Boot scripts made per client: a pxelinux-style menu for U-Boot's {@code pxe get}/{@code pxe boot}
 * and an iPXE script. U-Boot prefixes every path with the directory of its boot file, so the
 * menu names files relative to where it was fetched from.
 */
public final class BootScripts {

    private BootScripts() {
    }

    /**
     * @param prefix prepended to every file name: "" when served from the image's folder, else "images/NAME/"
     * @param imageUrl the image's folder over HTTP ({@link NetbootImage#bootCmdline})
     */
    public static byte[] pxelinux(NetbootImage image, String prefix, String imageUrl) {
        String cmdline = image.bootCmdline(imageUrl);
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
        if (!cmdline.isEmpty()) {
            b.append("  APPEND ").append(cmdline).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The script U-Boot's distro boot fetches over TFTP on a board with no disk
     * ({@code dhcp ${scriptaddr} boot.scr.uimg}, then {@code source}): it loads the kernel and the
     * initramfs from the same server and boots them. A gzip arm64 Image needs
     * {@code kernel_comp_addr_r}, as on disk.
     */
    public static byte[] ubootScript(NetbootImage image, String prefix, String imageUrl) {
        boolean arm64 = image.bootCommand().equals("booti");
        StringBuilder s = new StringBuilder();
        s.append("echo \"fleetkit: netboot ").append(image.name()).append(' ').append(image.version())
                .append(" from ${serverip}\"\n");
        if (arm64) {
            s.append("setenv kernel_comp_addr_r 0x50000000\n");
        }
        s.append("tftpboot ${kernel_addr_r} ").append(prefix).append(image.kernel()).append('\n');
        if (arm64) {
            s.append("setenv kernel_comp_size ${filesize}\n");
        }
        s.append("tftpboot ${ramdisk_addr_r} ").append(prefix).append(image.initrd()).append('\n');
        s.append("setenv bootargs \"").append(image.bootCmdline(imageUrl)).append("\"\n");
        s.append(image.bootCommand()).append(" ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}\n");
        s.append("echo \"fleetkit: netboot of ").append(image.name()).append(" failed\"\n");
        return UBootLegacyImage.script("fleetkit netboot", s.toString().getBytes(StandardCharsets.US_ASCII),
                arm64 ? UBootLegacyImage.Arch.ARM64 : UBootLegacyImage.Arch.ARM, 0);
    }

    /** @param baseUrl e.g. {@code http://10.0.0.1:80/images/gateway/}, ending in '/' */
    public static byte[] ipxe(NetbootImage image, String baseUrl) {
        String cmdline = image.bootCmdline(baseUrl);
        String s = "#!ipxe\n"
                + "# fleetkit " + image.name() + " " + image.version() + "\n"
                + "kernel " + baseUrl + image.kernel() + " initrd=" + baseName(image.initrd())
                + (cmdline.isEmpty() ? "" : " " + cmdline) + "\n"
                + "initrd " + baseUrl + image.initrd() + "\n"
                + "boot\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
