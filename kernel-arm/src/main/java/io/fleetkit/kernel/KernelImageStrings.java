package io.fleetkit.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The NUL-terminated strings of a kernel image, to tell whether a built-in driver matches a device-tree
 * compatible: an of_device_id's compatible is a NUL-padded char[128] in the image, and built-in drivers
 * leave no alias in {@code modules.builtin.modinfo}. A string in the image is evidence, not proof (code
 * may compare against it elsewhere); the check uses it only where no module claims the node.
 */
public final class KernelImageStrings {

    private final String text;

    public KernelImageStrings(byte[] image) {
        this.text = new String(image, StandardCharsets.ISO_8859_1);
    }

    /** Reads an Image, gzip or plain. */
    public static KernelImageStrings read(Path kernel) throws IOException {
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(kernel))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return new KernelImageStrings((gzip ? new GZIPInputStream(raw) : raw).readAllBytes());
        }
    }

    public boolean containsCompatible(String compatible) {
        return text.contains("\0" + compatible + "\0");
    }

    /** Whether {@code literal} ends a NUL-terminated string of the image (the linker may merge it into a longer one's tail). */
    public boolean containsCString(String literal) {
        return text.contains(literal + "\0");
    }
}
