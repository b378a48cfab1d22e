package io.fleetkit.kernel;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Test-only access to real Debian bookworm packages: reads {@code Packages.xz}, downloads a .deb
 * (checked against the index's SHA-256) into {@code target/test-debs/} and unpacks its data.tar.
 * Everything is reused when present. The lead's archive client (io.fleetkit.debian) replaces this
 * in production; here it only feeds real files to the kernel/board tests.
 */
public final class DebianTestArchive {

    private static final String MIRROR = "http://deb.debian.org/debian/";
    private static final Path CACHE = Path.of("target", "test-debs");
    private static final Set<String> FIELDS = Set.of("Package", "Version", "Filename", "SHA256", "Depends");
    private static final Map<String, Map<String, Map<String, String>>> INDICES = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();

    private DebianTestArchive() {
    }

    /** A field of a package's index entry, e.g. {@code Depends}; fails when the package is not in the index. */
    public static synchronized String field(String component, String arch, String pkg, String field) throws IOException {
        Map<String, String> entry = index(component, arch).get(pkg);
        if (entry == null) {
            throw new AssertionError("package " + pkg + " not in bookworm " + component + "/binary-" + arch);
        }
        return entry.getOrDefault(field, "");
    }

    /** Downloads (if needed) and unpacks (if needed) {@code pkg}; returns the root of its files. */
    public static synchronized Path extracted(String component, String arch, String pkg) throws IOException {
        String filename = field(component, arch, pkg, "Filename");
        String base = filename.substring(filename.lastIndexOf('/') + 1);
        Path root = CACHE.resolve("x").resolve(base.substring(0, base.length() - ".deb".length()));
        if (Files.isDirectory(root)) {
            return root;
        }
        Path deb = CACHE.resolve(base);
        if (!Files.isRegularFile(deb)) {
            download(MIRROR + filename, deb);
        }
        String expected = field(component, arch, pkg, "SHA256");
        String actual = sha256(deb);
        if (!expected.equals(actual)) {
            Files.delete(deb);
            throw new IOException(deb + ": SHA-256 " + actual + " but the index says " + expected);
        }
        Path tmp = Files.createTempDirectory(CACHE, "unpack-");
        unpackDeb(deb, tmp);
        Files.createDirectories(root.getParent());
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
        return root;
    }

    private static Map<String, Map<String, String>> index(String component, String arch) throws IOException {
        String key = component + "/binary-" + arch;
        Map<String, Map<String, String>> index = INDICES.get(key);
        if (index != null) {
            return index;
        }
        Path file = CACHE.resolve("Packages-" + component + "-" + arch + ".xz");
        if (!Files.isRegularFile(file)) {
            download(MIRROR + "dists/bookworm/" + key + "/Packages.xz", file);
        }
        index = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8), 1 << 16)) {
            Map<String, String> entry = new HashMap<>();
            for (String line = reader.readLine(); ; line = reader.readLine()) {
                if (line == null || line.isEmpty()) {
                    String name = entry.get("Package");
                    // Keep the highest version when an index lists several (compare as Debian would, roughly).
                    if (name != null && (!index.containsKey(name) || newer(entry, index.get(name)))) {
                        index.put(name, entry);
                    }
                    entry = new HashMap<>();
                    if (line == null) {
                        break;
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                    String field = line.substring(0, colon);
                    if (FIELDS.contains(field)) {
                        entry.put(field, line.substring(colon + 1).strip());
                    }
                }
            }
        }
        INDICES.put(key, index);
        return index;
    }

    private static boolean newer(Map<String, String> a, Map<String, String> b) {
        return a.getOrDefault("Version", "").compareTo(b.getOrDefault("Version", "")) > 0;
    }

    private static void download(String url, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "download-", ".part");
        try {
            HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw new IOException(url + ": HTTP " + response.statusCode());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading " + url, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unpackDeb(Path deb, Path root) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(deb))) {
            for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
                if (member.getName().equals("data.tar.xz")) {
                    untar(new TarArchiveInputStream(new XZInputStream(ar)), root);
                    return;
                }
            }
        }
        throw new IOException(deb + " has no data.tar.xz");
    }

    private static void untar(TarArchiveInputStream tar, Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            Path target = base.resolve(entry.getName()).normalize();
            if (!target.startsWith(base)) {
                throw new IOException("archive entry escapes its root: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            } else if (entry.isFile() && !entry.isLink()) {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
