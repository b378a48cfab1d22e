package io.fleetkit.netboot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small netboot trees shaped like {@code fleet build}'s output, for tests. */
public final class SampleTrees {

    private SampleTrees() {
    }

    public static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A qemu-arm64 tree: vmlinuz, initrd.img, cmdline.txt, empty dtbs/, netboot.json. */
    public static Path qemu(Path parent, String name, int kernelSize) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name + "-1.0.0.netboot"));
        Files.write(dir.resolve("vmlinuz"), bytes(kernelSize, name.hashCode()));
        Files.write(dir.resolve("initrd.img"), bytes(kernelSize / 2 + 1, name.hashCode() + 1));
        Files.writeString(dir.resolve("cmdline.txt"), "console=ttyAMA0,115200 rdinit=/init\n");
        Files.createDirectories(dir.resolve("dtbs"));
        Files.writeString(dir.resolve("netboot.json"), "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"board\":\"qemu-arm64\","
                + "\"kernel\":\"vmlinuz\",\"initrd\":\"initrd.img\",\"cmdline\":\"console=ttyAMA0,115200 rdinit=/init\","
                + "\"bootCommand\":\"booti\"}", StandardCharsets.UTF_8);
        return dir;
    }

    /** An rpi4 tree: as qemu plus firmware, config.txt and a device tree. */
    public static Path rpi4(Path parent, String name) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name + "-2.0.0.netboot"));
        Files.write(dir.resolve("vmlinuz"), bytes(300_000, 4));
        Files.write(dir.resolve("initrd.img"), bytes(200_000, 5));
        Files.write(dir.resolve("start4.elf"), bytes(50_000, 6));
        Files.write(dir.resolve("fixup4.dat"), bytes(5_000, 7));
        Files.writeString(dir.resolve("config.txt"), "arm_64bit=1\nkernel=vmlinuz\ninitramfs initrd.img followkernel\n");
        Files.writeString(dir.resolve("cmdline.txt"), "console=ttyS1,115200\n");
        Files.createDirectories(dir.resolve("dtbs/broadcom"));
        Files.write(dir.resolve("dtbs/broadcom/bcm2711-rpi-4-b.dtb"), bytes(40_000, 8));
        Files.writeString(dir.resolve("netboot.json"), "{\"name\":\"" + name + "\",\"version\":\"2.0.0\",\"board\":\"rpi4\","
                + "\"kernel\":\"vmlinuz\",\"initrd\":\"initrd.img\",\"cmdline\":\"console=ttyS1,115200\","
                + "\"bootCommand\":\"booti\"}", StandardCharsets.UTF_8);
        return dir;
    }
}
