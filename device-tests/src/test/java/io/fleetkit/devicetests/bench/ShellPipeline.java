package io.fleetkit.devicetests.bench;

import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.formats.bootstate.UBootAbScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The same A/B disk made the way people script it today, from the same inputs as a fleet build:
 * the root tree (unpacked from our initramfs beforehand, not timed) and the kernel. Timed: the
 * initramfs (find | cpio | gzip -9), the kernel (gzip -9), the slot (mkfs.vfat + mcopy), the
 * boot partition (mkfs.vfat + mkimage + mcopy), the table (sfdisk) and the copies (dd).
 */
final class ShellPipeline {

    private final Path dir;
    private final BuildResult built;

    ShellPipeline(Path dir, BuildResult built) {
        this.dir = dir;
        this.built = built;
    }

    double run() throws Exception {
        sh("rm -rf " + dir + " && mkdir -p " + dir + "/root " + dir + "/bare");
        Path netboot = built.path(OutputFormat.NETBOOT);
        // Inputs, not timed: our root tree and the raw kernel.
        // one gzip archive per layer, zero-padded between them: zcat would stop at the first padding
        List<byte[]> archives = gzipMembers(Files.readAllBytes(netboot.resolve("initrd.img")));
        for (int i = 0; i < archives.size(); i++) {
            Path part = Files.write(dir.resolve("initrd-" + i + ".gz"), archives.get(i));
            sh("cd " + dir + "/root && zcat " + part + " | cpio -idmu --quiet 2>/dev/null; true");
        }
        sh("zcat " + netboot.resolve("vmlinuz") + " > " + dir + "/Image");
        sh("mcopy -n -i " + built.path(OutputFormat.SLOT) + " ::boot.env " + dir + "/boot.env");
        Files.writeString(dir.resolve("boot.scr.txt"), UBootAbScript.render(UBootAbScript.Parameters.arm64()));
        bareTree();
        long start = System.nanoTime();
        String d = dir.toString();
        sh(String.join(" && ", List.of(
                "cd " + d + "/root && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n > " + d + "/initrd.img",
                "gzip -9 -n -c " + d + "/Image > " + d + "/vmlinuz",
                "truncate -s 128M " + d + "/slot.img && mkfs.vfat -n FLEETSLOT " + d + "/slot.img >/dev/null",
                "mcopy -i " + d + "/slot.img " + d + "/vmlinuz " + d + "/initrd.img " + d + "/boot.env ::",
                "mkimage -A arm64 -O linux -T script -C none -n fleetkit -d " + d + "/boot.scr.txt " + d + "/boot.scr >/dev/null",
                "truncate -s 32M " + d + "/boot.img && mkfs.vfat -n FLEETBOOT " + d + "/boot.img >/dev/null",
                "mcopy -i " + d + "/boot.img " + d + "/boot.scr ::",
                "truncate -s 356M " + d + "/disk.img",
                "printf 'label: dos\\nstart=8192, size=65536, type=c, bootable\\nstart=73728, size=262144, type=c\\n"
                        + "start=335872, size=262144, type=c\\nstart=598016, size=131072, type=83\\n' | sfdisk -q " + d + "/disk.img",
                "dd if=" + d + "/boot.img of=" + d + "/disk.img bs=4M seek=1 conv=notrunc,sparse status=none",
                "dd if=" + d + "/slot.img of=" + d + "/disk.img bs=4M seek=9 conv=notrunc,sparse status=none",
                "sync " + d + "/disk.img")));
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds;
    }

    /** The gzip members of {@code bytes}, skipping the zeros between them (the kernel's initramfs format). */
    static List<byte[]> gzipMembers(byte[] bytes) throws java.util.zip.DataFormatException {
        List<byte[]> out = new java.util.ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            if (bytes[at] == 0) {
                at++;
                continue;
            }
            int flags = bytes[at + 3];
            int body = at + 10;
            if ((flags & 4) != 0) {
                body += 2 + ((bytes[body] & 0xff) | (bytes[body + 1] & 0xff) << 8);
            }
            for (int bit : new int[] {8, 16}) {
                if ((flags & bit) != 0) {
                    while (bytes[body++] != 0) {
                        // a zero-terminated name or comment
                    }
                }
            }
            body += (flags & 2) != 0 ? 2 : 0;
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
            inflater.setInput(bytes, body, bytes.length - body);
            byte[] sink = new byte[1 << 16];
            while (!inflater.finished()) {
                if (inflater.inflate(sink) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new java.util.zip.DataFormatException("gzip member at " + at + " is cut short");
                }
            }
            int end = bytes.length - inflater.getRemaining() + 8; // the CRC-32 and size trailer
            inflater.end();
            out.add(java.util.Arrays.copyOfRange(bytes, at, end));
            at = end;
        }
        return out;
    }

    /** A bare busybox initramfs that prints one line, in the same boot chain, for the boot-time baseline. */
    private void bareTree() throws Exception {
        String b = dir + "/bare";
        sh("mkdir -p " + b + "/bin " + b + "/proc && cp " + dir + "/root/bin/busybox " + b + "/bin/busybox");
        Files.writeString(Path.of(b, "init"), "#!/bin/busybox sh\n/bin/busybox echo bare-initramfs: ready\n"
                + "exec /bin/busybox sleep 100000\n");
        sh("chmod 755 " + b + "/init && cd " + b + " && find . | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n > " + dir + "/bare-initrd.img");
        sh("cp --sparse=always " + built.path(OutputFormat.IMG) + " " + dir + "/bare-disk.img");
        sh("truncate -s 128M " + dir + "/bare-slot.img && mkfs.vfat -n FLEETSLOT " + dir + "/bare-slot.img >/dev/null && "
                + "cp " + dir + "/bare-initrd.img " + dir + "/initrd-bare && mcopy -i " + dir + "/bare-slot.img " + dir
                + "/initrd-bare ::initrd.img && mcopy -i " + dir + "/bare-slot.img " + dir + "/boot.env ::boot.env && "
                + "gzip -9 -n -c " + dir + "/Image > " + dir + "/bare-vmlinuz && mcopy -i " + dir + "/bare-slot.img " + dir
                + "/bare-vmlinuz ::vmlinuz && dd if=" + dir + "/bare-slot.img of=" + dir
                + "/bare-disk.img bs=4M seek=9 conv=notrunc status=none");
    }

    Path bareDisk() {
        return dir.resolve("bare-disk.img");
    }

    long slotBytes() throws IOException {
        return Files.size(dir.resolve("vmlinuz")) + Files.size(dir.resolve("initrd.img"));
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("failed: " + command);
        }
    }
}
