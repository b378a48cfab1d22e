package io.fleetkit.ota.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiskImageManifestTest {

    private static final String SHA = "ab".repeat(32);
    private static final DiskImageManifest M = new DiskImageManifest(1, "gw", "1.0.0", "qemu-arm64", 1 << 30, "blank",
            List.of(new DiskImageManifest.Piece(0, 512, SHA), new DiskImageManifest.Piece(4 << 20, 1 << 20, SHA)));

    @Test
    void decodesWhatItEncodesInOneCanonicalForm() {
        assertEquals(M, DiskImageManifest.decode(M.encode()));
        assertEquals(new String(M.encode(), StandardCharsets.UTF_8),
                new String(DiskImageManifest.decode(M.encode()).encode(), StandardCharsets.UTF_8));
        assertEquals(512 + (1 << 20), M.payloadBytes());
    }

    @Test
    void refusesUnknownKeysOtherFormatsAndBadPieces() {
        String json = new String(M.encode(), StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> decode(json.replace("\"when\"", "\"extra\":1,\"when\"")));
        assertThrows(IllegalArgumentException.class, () -> decode(json.replace("\"formatVersion\":1", "\"formatVersion\":2")));
        assertThrows(IllegalArgumentException.class, () -> decode(json.replace("\"blank\"", "\"sometimes\"")));
        // overlapping pieces, a piece past the disk's end, a piece longer than 1 MiB
        assertThrows(IllegalArgumentException.class, () -> new DiskImageManifest(1, "gw", "1", "b", 1 << 30, "blank",
                List.of(new DiskImageManifest.Piece(0, 512, SHA), new DiskImageManifest.Piece(256, 512, SHA))));
        assertThrows(IllegalArgumentException.class, () -> new DiskImageManifest(1, "gw", "1", "b", 1000, "blank",
                List.of(new DiskImageManifest.Piece(512, 512, SHA))));
        assertThrows(IllegalArgumentException.class, () -> new DiskImageManifest(1, "gw", "1", "b", 1 << 30, "blank",
                List.of(new DiskImageManifest.Piece(0, (1 << 20) + 1, SHA))));
    }

    private static DiskImageManifest decode(String json) {
        return DiskImageManifest.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
