package io.fleetkit.netboot;

import io.fleetkit.events.EventSink;
import io.fleetkit.formats.fat.FatImageWriter;
import io.fleetkit.formats.fat.FatTree;
import io.fleetkit.formats.fat.FatVolumeSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Pi 4/5 bootloader's HTTP boot pair: {@code boot.img}, a FAT ramdisk holding the image's
 * whole tree (firmware, config.txt, kernel, initramfs, device trees), and {@code boot.sig}, a
 * text file with the image's SHA-256 in hex and a {@code ts: <epoch>} line, as
 * {@code rpi-eeprom-digest} writes it. It carries no {@code rsa2048:} line: boards with secure
 * boot enabled will refuse it; all others accept it.
 */
public final class PiHttpBootImage {

    private static final long MIB = 1024 * 1024;

    private static final String INSTALL_DIR = "install/";

    private PiHttpBootImage() {
    }

    public record Built(Path image, byte[] signature) {
    }

    /**
     * Writes {@code boot.img} for {@code image} into {@code dir} and returns it with its boot.sig text. The disk
     * image an installing image carries stays out (the agent fetches it over HTTP); its command line says where.
     *
     * @param imageUrl the image's folder over HTTP, for {@link NetbootImage#bootCmdline}
     */
    public static Built build(NetbootImage image, String imageUrl, Path dir, EventSink sink) throws IOException {
        FatTree tree = new FatTree();
        long total = 0;
        try (Stream<Path> s = Files.walk(image.root())) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            for (Path f : files) {
                String rel = image.root().relativize(f).toString().replace('\\', '/');
                if (rel.equals("netboot.json") || !image.install().isEmpty() && rel.startsWith(INSTALL_DIR)) {
                    continue;
                }
                if (rel.equals("cmdline.txt") && !image.install().isEmpty()) {
                    byte[] cmdline = (image.bootCmdline(imageUrl) + "\n").getBytes(StandardCharsets.UTF_8);
                    tree.addFile(rel, cmdline);
                    total += cmdline.length;
                    continue;
                }
                tree.addFile(rel, f);
                total += Files.size(f);
            }
        }
        // Room for FAT metadata and cluster slack; FAT16 needs at least ~16 MiB at 4 KiB clusters.
        long size = Math.max(32 * MIB, (total + total / 8 + 8 * MIB + MIB - 1) / MIB * MIB);
        long epoch = Files.getLastModifiedTime(image.root().resolve("netboot.json")).toMillis() / 1000;
        Path out = dir.resolve(image.name() + "-boot.img");
        new FatImageWriter(new FatVolumeSpec(size, null, "FLEETBOOT", 0x464b4254, epoch, 0), sink).write(tree, out);
        return new Built(out, signature(out, epoch));
    }

    /** The boot.sig text for {@code file}: digest line, then {@code ts:}. */
    public static byte[] signature(Path file, long epochSecond) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        String text = HexFormat.of().formatHex(sha.digest()) + "\nts: " + epochSecond + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
