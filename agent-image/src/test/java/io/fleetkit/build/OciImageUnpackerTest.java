package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.Architecture;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service image archive for several platforms gives the board the image of its own platform, or a refusal naming those it has. */
class OciImageUnpackerTest {

    @TempDir
    Path dir;

    /** Blobs by digest, and the index entries for index.json, of one archive being written. */
    private final Map<String, byte[]> blobs = new LinkedHashMap<>();

    @Test
    void takesTheBoardsImageFromAMultiPlatformIndex() throws Exception {
        Path archive = archive(List.of(image("amd64", null, true), image("arm64", "v8", true), attestation()));

        assertEquals("built for arm64", unpack(archive, Architecture.ARM64));
        FleetkitException e = assertThrows(FleetkitException.class, () -> unpack(archive, Architecture.ARMHF));
        assertEquals("build.oci-platform", e.code());
        assertTrue(e.getMessage().endsWith("has no image for linux/arm/v7 (it has linux/amd64, linux/arm64/v8)"), e.getMessage());
    }

    @Test
    void followsANestedIndexAsSkopeoCopyAllWritesIt() throws Exception {
        Map<String, Object> nested = descriptor("application/vnd.oci.image.index.v1+json",
                json(Map.of("schemaVersion", 2, "manifests", List.of(image("amd64", null, true), image("arm", "v7", true)))));
        Path archive = archive(List.of(nested));

        assertEquals("built for arm", unpack(archive, Architecture.ARMHF));
        assertThrows(FleetkitException.class, () -> unpack(archive, Architecture.ARM64));
    }

    @Test
    void aSinglePlatformArchiveIsCheckedAgainstItsConfig() throws Exception {
        assertEquals("built for arm64", unpack(archive(List.of(image("arm64", null, false))), Architecture.ARM64));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> unpack(archive(List.of(image("amd64", null, false))), Architecture.ARM64));
        assertTrue(e.getMessage().endsWith("has no image for linux/arm64 (it has linux/amd64)"), e.getMessage());
    }

    private String unpack(Path archive, Architecture arch) throws IOException {
        RootTree tree = new RootTree();
        new OciImageUnpacker(tree, "img", OciPlatform.of(arch)).unpack(archive);
        return new String(((RootEntry.File) tree.get("img/etc/built-for")).content(), StandardCharsets.UTF_8);
    }

    /** An image whose one file says its architecture; its index entry names the platform when {@code annotated}. */
    private Map<String, Object> image(String arch, String variant, boolean annotated) throws IOException {
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("architecture", arch);
        platform.put("os", "linux");
        if (variant != null) {
            platform.put("variant", variant);
        }
        byte[] layer = layer("etc/built-for", "built for " + arch);
        Map<String, Object> config = new LinkedHashMap<>(platform);
        config.put("rootfs", Map.of("type", "layers"));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", json(config)));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar", layer)));
        Map<String, Object> entry = descriptor("application/vnd.oci.image.manifest.v1+json", json(manifest));
        if (annotated) {
            entry.put("platform", platform);
        }
        return entry;
    }

    /** What docker buildx adds beside the images: an attestation manifest for platform unknown/unknown. */
    private Map<String, Object> attestation() throws IOException {
        Map<String, Object> entry = descriptor("application/vnd.oci.image.manifest.v1+json",
                json(Map.of("schemaVersion", 2, "layers", List.of())));
        entry.put("platform", Map.of("architecture", "unknown", "os", "unknown"));
        return entry;
    }

    private Path archive(List<Map<String, Object>> index) throws IOException {
        Path archive = Files.createTempFile(dir, "image-", ".tar");
        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "index.json", json(Map.of("schemaVersion", 2, "manifests", index)));
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                put(tar, "blobs/sha256/" + b.getKey(), b.getValue());
            }
        }
        return archive;
    }

    private Map<String, Object> descriptor(String mediaType, byte[] blob) {
        String digest = sha256(blob);
        blobs.put(digest, blob);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", "sha256:" + digest);
        d.put("size", blob.length);
        return d;
    }

    private static byte[] json(Map<String, Object> m) {
        return JsonWriter.write(m).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] layer(String path, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            put(tar, path, content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0100644);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
