package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Refuses a source that is not a disk image before anything is written: a disk image starts with
 * a partition table, whose first sector ends in the boot signature 55 AA (MBR, and GPT's protective
 * MBR). A spec (YAML) given where an image belongs is the usual mistake, and is named as such.
 */
final class DiskImageSignature {

    private static final int SECTOR = 512;

    private DiskImageSignature() {
    }

    static void require(Path path, Compression compression, String name) throws IOException {
        byte[] first;
        try (InputStream in = compression.decode(Files.newInputStream(path))) {
            first = in.readNBytes(SECTOR);
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw e;
            }
            throw notAnImage(name, "it does not decode as " + compression.name().toLowerCase(Locale.ROOT) + " (" + e.getMessage() + ")");
        }
        if (first.length < SECTOR || (first[510] & 0xff) != 0x55 || (first[511] & 0xff) != 0xaa) {
            throw notAnImage(name, first.length < SECTOR ? "it is shorter than one sector"
                    : "its first sector holds no partition table");
        }
    }

    private static FleetkitException notAnImage(String name, String why) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
            return new FleetkitException("flash.not-an-image", name + " is an image spec, not a disk image",
                    "build it first (fleet build " + name + " -o out), then flash the image it makes: fleet flash out/NAME-VERSION.img TARGET");
        }
        return new FleetkitException("flash.not-an-image", name + " is not a disk image: " + why,
                "give the .img (or .img.xz, .gz, .zst, .bz2) that fleet build wrote");
    }
}
