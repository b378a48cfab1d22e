package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One built image's netboot tree ({@code out/<name>-<version>.netboot/}) as {@code fleet build}
 * writes it: kernel, initramfs, command line, device trees and, for Pi boards, the firmware.
 *
 * @param root        the tree's real path; every served file must stay inside it
 * @param kernel      kernel file name relative to root
 * @param initrd      initramfs file name relative to root
 * @param bootCommand {@code booti} (arm64 Image) or {@code bootz} (armhf zImage)
 * @param dtbs        device tree paths relative to root, sorted; empty for qemu boards
 * @param install     the signed disk image's manifest relative to root ({@code install/disk.json}), or "" when
 *                    the image does not install itself to a disk
 */
public record NetbootImage(String name, String version, String board, Path root, String kernel, String initrd,
                           String cmdline, String bootCommand, List<String> dtbs, String install) {

    private static final int MAX_JSON_CHARS = 64 * 1024;

    public NetbootImage {
        dtbs = List.copyOf(dtbs);
    }

    /**
     * The command line a client boots with: the image's, plus where the netbooted agent fetches the disk image
     * to install ({@code fleetkit.install=URL}) when the image carries one.
     *
     * @param imageUrl the image's folder over HTTP, e.g. {@code http://10.0.0.1:8080/images/gateway/}
     */
    public String bootCmdline(String imageUrl) {
        if (install.isEmpty()) {
            return cmdline;
        }
        return (cmdline.isEmpty() ? "" : cmdline + " ") + "fleetkit.install=" + imageUrl + install;
    }

    /** Raspberry Pi boards boot through the firmware (start4.elf, config.txt), not U-Boot's pxe. */
    public boolean raspberryPi() {
        return board.startsWith("rpi");
    }

    /** Reads {@code dir/netboot.json} and checks that the files it names are inside the tree. */
    public static NetbootImage load(Path dir) throws IOException {
        Path meta = dir.resolve("netboot.json");
        if (!Files.isRegularFile(meta)) {
            throw new FleetkitException("netboot.not-a-tree", "'" + dir + "' has no netboot.json",
                    "pass a .netboot directory written by 'fleet build', e.g. out/gateway-1.0.0.netboot");
        }
        JsonFields doc;
        try {
            doc = JsonFields.of(meta.toString(), JsonParser.parseObject(Files.readString(meta, StandardCharsets.UTF_8), MAX_JSON_CHARS),
                    (what, detail) -> new FleetkitException("netboot.bad-metadata", what + ": " + detail, "rebuild the image with 'fleet build'"));
        } catch (JsonException e) {
            throw new FleetkitException("netboot.bad-metadata", meta + ": " + e.getMessage(),
                    "rebuild the image with 'fleet build'", e);
        }
        Path root = dir.toRealPath();
        ServedTree tree = new ServedTree(root);
        String kernel = text(doc, "kernel", "vmlinuz");
        String initrd = text(doc, "initrd", "initrd.img");
        for (String file : List.of(kernel, initrd)) {
            if (tree.resolve(file).isEmpty()) {
                throw new FleetkitException("netboot.missing-file", meta + " names '" + file
                        + "', which is not a file inside " + root, "rebuild the image with 'fleet build'");
            }
        }
        String cmdline = doc.raw().containsKey("cmdline") ? text(doc, "cmdline", "")
                : readCmdline(root.resolve("cmdline.txt"));
        String install = text(doc, "install", "");
        if (!install.isEmpty() && tree.resolve(install).isEmpty()) {
            throw new FleetkitException("netboot.missing-file", meta + " names '" + install
                    + "', which is not a file inside " + root, "rebuild the image with 'fleet build'");
        }
        String boot = text(doc, "bootCommand", "booti");
        if (!boot.equals("booti") && !boot.equals("bootz")) {
            throw new FleetkitException("netboot.bad-metadata", meta + ": bootCommand '" + boot
                    + "' is neither booti nor bootz", "rebuild the image with 'fleet build'");
        }
        return new NetbootImage(text(doc, "name", null), text(doc, "version", null),
                text(doc, "board", null), root, kernel, initrd, cmdline.strip(), boot, dtbs(root), install);
    }

    private static String readCmdline(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static List<String> dtbs(Path root) throws IOException {
        Path dir = root.resolve("dtbs");
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".dtb"))
                        .forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
            }
        }
        out.sort(null);
        return out;
    }

    private static String text(JsonFields doc, String key, String fallback) {
        String s = doc.optionalString(key);
        if (s == null && fallback != null) {
            return fallback;
        }
        if (s == null || s.isEmpty() && fallback == null) {
            throw doc.bad("'" + key + "' must be a non-empty string");
        }
        return s;
    }
}
