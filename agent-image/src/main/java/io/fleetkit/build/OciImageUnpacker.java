package io.fleetkit.build;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.json.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a service's own root from an OCI image archive (an OCI image layout in a tar, as
 * {@code skopeo copy ... oci-archive:} or {@code buildah push} make it; {@code docker save}
 * archives too) into the root tree under {@code dir}. Of a multi-platform archive it takes the
 * image for the board's {@link OciPlatform}, and refuses an archive that has none, naming what it
 * has. Layers are applied in order with OCI whiteouts. The archive is untrusted: every blob's
 * digest is checked, sizes are bounded, and paths must stay inside {@code dir}.
 */
final class OciImageUnpacker {

    private static final long MAX_BLOB_BYTES = 256L << 20;
    private static final int MAX_JSON_BYTES = 1 << 20;

    private final RootTree root;
    private final String dir;
    private final OciPlatform platform;

    OciImageUnpacker(RootTree root, String dir, OciPlatform platform) {
        this.root = root;
        this.dir = dir;
        this.platform = platform;
    }

    void unpack(Path archive) throws IOException {
        Map<String, byte[]> members = readArchive(archive);
        List<byte[]> layers = members.containsKey("index.json") ? ociLayers(archive, members) : dockerLayers(archive, members);
        root.directory(dir, 0755);
        for (byte[] layer : layers) {
            applyLayer(archive, layer);
        }
        // The runtime mounts these inside the service; on a read-only root they must already exist.
        for (String mountPoint : List.of("proc", "dev", "sys", "tmp", "run")) {
            if (root.get(dir + "/" + mountPoint) == null) {
                root.directory(dir + "/" + mountPoint, 0755);
            }
        }
    }

    private static Map<String, byte[]> readArchive(Path archive) throws IOException {
        Map<String, byte[]> members = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(archive)),
                StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            long total = 0;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                total += e.getSize();
                if (e.getSize() > MAX_BLOB_BYTES || total > 2 * MAX_BLOB_BYTES) {
                    throw bad(archive, "member " + e.getName() + " makes the archive larger than allowed");
                }
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                members.put(name, tar.readAllBytes());
            }
        }
        return members;
    }

    @SuppressWarnings("unchecked")
    private List<byte[]> ociLayers(Path archive, Map<String, byte[]> members) {
        Map<String, Object> index = json(archive, members.get("index.json"));
        List<Object> manifests = (List<Object>) index.get("manifests");
        if (manifests == null || manifests.isEmpty()) {
            throw bad(archive, "index.json lists no manifests");
        }
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Object> manifest = forPlatform(archive, members, manifests, 0, seen);
        if (manifest == null) {
            throw noPlatform(archive, seen);
        }
        List<Object> layerRefs = (List<Object>) manifest.get("layers");
        if (layerRefs == null) {
            throw bad(archive, "the image manifest has no layers");
        }
        return layerRefs.stream().map(l -> blob(archive, members, (String) ((Map<String, Object>) l).get("digest"))).toList();
    }

    /**
     * The first image manifest among {@code entries} (an index's, nested indexes followed) whose
     * platform — the entry's, else its image config's — the board runs; null when none. Every
     * platform met goes into {@code seen}, for the refusal.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> forPlatform(Path archive, Map<String, byte[]> members, List<Object> entries, int depth,
                                            Set<String> seen) {
        if (depth > 2) {
            throw bad(archive, "image indexes nested more than two deep");
        }
        for (Object o : entries) {
            Map<String, Object> entry = (Map<String, Object>) o;
            Map<String, Object> named = entry.get("platform") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            if (OciPlatform.named(named)) {
                seen.add(OciPlatform.describe(named));
                if (!platform.matches(named)) {
                    continue;
                }
            }
            Map<String, Object> blob = json(archive, blob(archive, members, (String) entry.get("digest")));
            if (blob.get("manifests") instanceof List<?> inner) {
                Map<String, Object> found = forPlatform(archive, members, (List<Object>) inner, depth + 1, seen);
                if (found != null) {
                    return found;
                }
            } else if (OciPlatform.named(named) || runsHere(archive, members, blob, seen)) {
                return blob;
            }
        }
        return null;
    }

    /** Whether an image manifest's config names a platform the board runs (or none at all). */
    @SuppressWarnings("unchecked")
    private boolean runsHere(Path archive, Map<String, byte[]> members, Map<String, Object> manifest, Set<String> seen) {
        if (!(manifest.get("config") instanceof Map<?, ?> config) || config.get("digest") == null) {
            return true;
        }
        Map<String, Object> image = json(archive, blob(archive, members, (String) config.get("digest")));
        if (OciPlatform.named(image)) {
            seen.add(OciPlatform.describe(image));
        }
        return platform.matches(image);
    }

    private FleetkitException noPlatform(Path archive, Set<String> seen) {
        seen.removeIf(p -> p.startsWith("unknown/"));   // build attestations, not images
        return new FleetkitException("build.oci-platform", archive + " has no image for " + platform + " (it has "
                + (seen.isEmpty() ? "no platform named" : String.join(", ", seen)) + ")",
                "pull or build the image for " + platform + ", e.g. skopeo copy --override-arch " + platform.architecture()
                        + " docker://IMAGE oci-archive:FILE");
    }

    @SuppressWarnings("unchecked")
    private List<byte[]> dockerLayers(Path archive, Map<String, byte[]> members) {
        byte[] manifestBytes = members.get("manifest.json");
        if (manifestBytes == null) {
            throw bad(archive, "neither index.json (OCI layout) nor manifest.json (docker save) is in the archive");
        }
        Object parsed = JsonParser.parse(manifestBytes, MAX_JSON_BYTES);
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Object> first = null;
        for (Object o : (List<Object>) parsed) {
            Map<String, Object> image = (Map<String, Object>) o;
            byte[] config = image.get("Config") instanceof String c ? members.get(c) : null;
            if (config == null) {
                first = image;
                break;
            }
            Map<String, Object> platformOf = json(archive, config);
            if (OciPlatform.named(platformOf)) {
                seen.add(OciPlatform.describe(platformOf));
            }
            if (platform.matches(platformOf)) {
                first = image;
                break;
            }
        }
        if (first == null) {
            throw noPlatform(archive, seen);
        }
        return ((List<Object>) first.get("Layers")).stream().map(n -> {
            byte[] b = members.get((String) n);
            if (b == null) {
                throw bad(archive, "layer " + n + " is missing");
            }
            return b;
        }).toList();
    }

    private static byte[] blob(Path archive, Map<String, byte[]> members, String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw bad(archive, "bad digest '" + digest + "'");
        }
        byte[] b = members.get("blobs/sha256/" + digest.substring(7));
        if (b == null) {
            throw bad(archive, "blob " + digest + " is missing");
        }
        String actual = "sha256:" + sha256(b);
        if (!actual.equals(digest)) {
            throw bad(archive, "blob " + digest + " has digest " + actual);
        }
        return b;
    }

    private void applyLayer(Path archive, byte[] layer) throws IOException {
        InputStream in = new ByteArrayInputStream(layer);
        if (layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in);
        }
        // Names in UTF-8 whatever the host's locale, so the image does not depend on LANG.
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                while (name.startsWith("./") || name.startsWith("/")) {
                    name = name.startsWith("./") ? name.substring(2) : name.substring(1);
                }
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (List.of(name.split("/")).contains("..")) {
                    throw bad(archive, "layer entry '" + e.getName() + "' leaves the image root");
                }
                String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
                String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
                String target = dir + "/" + name;
                if (base.equals(".wh..wh..opq")) {
                    clearDirectory(dir + (parent.isEmpty() ? "" : "/" + parent));
                    continue;
                }
                if (base.startsWith(".wh.")) {
                    root.remove(dir + "/" + (parent.isEmpty() ? "" : parent + "/") + base.substring(4));
                    continue;
                }
                int mode = e.getMode() & 07777;
                int uid = (int) e.getLongUserId();
                int gid = (int) e.getLongGroupId();
                if (e.isDirectory()) {
                    root.replace(target, new RootEntry.Directory(mode, uid, gid));
                } else if (e.isSymbolicLink()) {
                    root.replace(target, new RootEntry.Symlink(e.getLinkName(), uid, gid));
                } else if (e.isLink()) {
                    RootEntry linked = root.get(dir + "/" + e.getLinkName().replaceFirst("^\\./", ""));
                    if (linked instanceof RootEntry.File f) {
                        root.replace(target, new RootEntry.File(f.mode(), f.uid(), f.gid(), f.content()));
                    }
                } else if (e.isFile()) {
                    root.replace(target, new RootEntry.File(mode, uid, gid, tar.readAllBytes()));
                }
                // Device nodes in layers are skipped: the runtime gives services their own /dev.
            }
        }
    }

    private void clearDirectory(String path) {
        RootEntry keep = root.get(path);
        root.remove(path);
        if (keep != null) {
            root.replace(path, keep);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path archive, byte[] bytes) {
        Object v = JsonParser.parse(bytes, MAX_JSON_BYTES);
        if (!(v instanceof Map)) {
            throw bad(archive, "expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FleetkitException bad(Path archive, String why) {
        return new FleetkitException("build.bad-oci-image", archive + ": " + why,
                "give an OCI image archive (oci-archive) or a 'docker save' tar");
    }
}
