package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cache entries of compressed bytes are named by the settings and by what this process's compressor makes. */
class CompressionTest {

    @Test
    void cacheKindNamesTheSettingsAndAFingerprintOfTheCompressor() throws Exception {
        for (String kind : List.of("gzip", "xz", "zstd")) {
            ByteArrayOutputStream probe = new ByteArrayOutputStream();
            try (OutputStream c = Compression.stream(kind, probe)) {
                c.write(Compression.probe());
            }
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(probe.toByteArray()))
                    .substring(0, 16);
            assertTrue(Compression.cacheKind(kind).startsWith("compressed-" + kind), Compression.cacheKind(kind));
            assertTrue(Compression.cacheKind(kind).endsWith("-v1-" + fingerprint), Compression.cacheKind(kind));
        }
        Set<String> kinds = List.of("gzip", "xz", "zstd").stream().map(k -> {
            try {
                return Compression.cacheKind(k);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).collect(Collectors.toSet());
        assertEquals(3, kinds.size());
        assertEquals(1 << 18, Compression.probe().length);
        assertThrows(UsageException.class, () -> Compression.cacheKind("lz4"));
    }
}
