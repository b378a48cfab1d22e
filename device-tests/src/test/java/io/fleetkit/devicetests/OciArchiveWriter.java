package io.fleetkit.devicetests;

import io.fleetkit.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a one-layer OCI image layout archive (what {@code skopeo copy ... oci-archive:} makes),
 * so tests have an OCI image without Docker or a registry.
 */
final class OciArchiveWriter {

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> symlinks = new LinkedHashMap<>();
    private final Map<String, Integer> modes = new LinkedHashMap<>();

    OciArchiveWriter file(String path, byte[] content, int mode) {
        files.put(path, content);
        modes.put(path, mode);
        return this;
    }

    OciArchiveWriter symlink(String path, String target) {
        symlinks.put(path, target);
        return this;
    }

    void write(Path archive, String architecture) throws Exception {
        byte[] layer = gzip(layerTar());
        byte[] config = JsonWriter.write(Map.of("architecture", architecture, "os", "linux",
                "rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + sha256(layerTar()))))).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", config));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)));
        byte[] manifestBytes = JsonWriter.write(manifest).getBytes(StandardCharsets.UTF_8);
        byte[] index = JsonWriter.write(Map.of("schemaVersion", 2,
                "manifests", List.of(descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes)))).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            put(tar, "index.json", index);
            for (byte[] blob : List.of(layer, config, manifestBytes)) {
                put(tar, "blobs/sha256/" + sha256(blob), blob);
            }
        }
    }

    private byte[] layerTar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100000 | modes.get(f.getKey()));
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> s : symlinks.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(s.getKey(), TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(s.getValue());
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static Map<String, Object> descriptor(String mediaType, byte[] blob) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", "sha256:" + sha256(blob));
        d.put("size", blob.length);
        return d;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
