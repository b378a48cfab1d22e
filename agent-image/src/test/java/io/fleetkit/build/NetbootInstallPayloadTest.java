package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.DiskImageManifest;
import io.fleetkit.ota.bundle.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetbootInstallPayloadTest {

    @TempDir
    Path dir;

    @Test
    void cutsTheWrittenRangesIntoSignedPiecesThatRebuildTheImage() throws Exception {
        byte[] image = new byte[6 << 20];
        new Random(3).nextBytes(image);
        Path img = dir.resolve("disk.img");
        Files.write(img, image);
        List<ByteRange> written = List.of(new ByteRange(0, 4096), new ByteRange(1 << 20, (2 << 20) + 100), new ByteRange(5 << 20, 512));
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        DiskImageManifest m = NetbootInstallPayload.write(dir, img, written, "gw", "1.0.0", "qemu-arm64", "blank",
                new SigningKey(pair.getPrivate(), pair.getPublic()));

        Path out = dir.resolve("install");
        byte[] json = Files.readAllBytes(out.resolve(DiskImageManifest.FILE));
        assertTrue(BundleSigner.verify(json, Files.readAllBytes(out.resolve(DiskImageManifest.SIGNATURE)), pair.getPublic()));
        assertEquals(m, DiskImageManifest.decode(json));
        assertEquals(image.length, m.diskBytes());
        assertEquals(5, m.pieces().size(), "the 2 MiB + 100 range is three pieces");
        byte[] payload = Files.readAllBytes(out.resolve(DiskImageManifest.PAYLOAD));
        assertEquals(4096 + (2 << 20) + 100 + 512, payload.length);
        int at = 0;
        for (DiskImageManifest.Piece p : m.pieces()) {
            byte[] piece = Arrays.copyOfRange(payload, at, at + p.length());
            assertArrayEquals(Arrays.copyOfRange(image, (int) p.offset(), (int) p.offset() + p.length()), piece);
            assertEquals(p.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(piece)));
            at += p.length();
        }
    }
}
