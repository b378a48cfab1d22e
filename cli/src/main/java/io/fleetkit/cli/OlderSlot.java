package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.ota.bundle.BundleHeader;
import io.fleetkit.ota.bundle.BundleReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the slot image a device runs lies in a file given as {@code --from}: a {@code .bundle}'s
 * payload, an {@code .img}'s slot A partition (what a freshly flashed device runs), or a slot image
 * ({@code .slot}, or any other file) as a whole.
 */
record OlderSlot(Path file, long start, long length) {

    static OlderSlot of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("bundle.from-missing", "--from " + file + " is not a file",
                    "Give the .bundle, .img or .slot of the version the devices run.");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".bundle")) {
            try (InputStream in = Files.newInputStream(file)) {
                BundleHeader h = BundleReader.readHeader(in);
                return new OlderSlot(file, h.payloadOffset(), h.unverifiedManifest().slotSize());
            }
        }
        if (name.endsWith(".img")) {
            MbrPartition a = MbrReader.read(file).require(Slot.A.partition(), "slot A of " + file);
            return new OlderSlot(file, a.startByte(), a.sizeBytes());
        }
        return new OlderSlot(file, 0, Files.size(file));
    }
}
