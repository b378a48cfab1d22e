package io.fleetkit.debian;

import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Real Debian bookworm files for tests, fetched once over plain HTTP into target/ and reused.
 * Only the resolver and extractor logic is tested with them; trust (InRelease) is checked elsewhere.
 */
final class BookwormFixture {

    static final String MIRROR = "http://deb.debian.org/debian/";
    private static final Path CACHE = Path.of("target", "debian-fixtures");
    private static PackageIndex arm64;

    private BookwormFixture() {
    }

    /** bookworm main for arm64: binary-arm64 plus binary-all. */
    static synchronized PackageIndex arm64Index() throws IOException, InterruptedException {
        if (arm64 == null) {
            PackageIndex.Builder b = PackageIndex.builder("arm64");
            for (String part : new String[] {"binary-arm64", "binary-all"}) {
                Path xz = fetch("dists/bookworm/main/" + part + "/Packages.xz", part + "-Packages.xz");
                try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(Files.newInputStream(xz), 1 << 16));
                     Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    b.addAll(r);
                }
            }
            arm64 = b.build();
        }
        return arm64;
    }

    /** Every package of bookworm main binary-arm64, as {@link BinaryPackage#from} reads it, in index order. */
    static List<BinaryPackage> arm64Packages() throws IOException, InterruptedException {
        Path xz = fetch("dists/bookworm/main/binary-arm64/Packages.xz", "binary-arm64-Packages.xz");
        List<BinaryPackage> out = new ArrayList<>();
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(Files.newInputStream(xz), 1 << 16));
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            ControlFileParser.parse(r, p -> out.add(BinaryPackage.from(p)));
        }
        return out;
    }

    /** A package's .deb, fetched once and checked against the index's SHA-256. */
    static Path deb(BinaryPackage p) throws IOException, InterruptedException {
        Path file = fetch(p.filename(), p.filename().substring(p.filename().lastIndexOf('/') + 1));
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equals(p.sha256())) {
            Files.delete(file);
            throw new IOException(p.filename() + ": sha256 " + actual + " but the index says " + p.sha256());
        }
        return file;
    }

    private static Path fetch(String archivePath, String cacheName) throws IOException, InterruptedException {
        Files.createDirectories(CACHE);
        Path target = CACHE.resolve(cacheName);
        if (Files.exists(target)) {
            return target;
        }
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(MIRROR + archivePath)).timeout(Duration.ofMinutes(5)).build();
        Path tmp = Files.createTempFile(CACHE, cacheName, ".part");
        HttpResponse<Path> resp = client.send(req, HttpResponse.BodyHandlers.ofFile(tmp));
        if (resp.statusCode() != 200) {
            Files.deleteIfExists(tmp);
            throw new IOException("GET " + MIRROR + archivePath + " answered HTTP " + resp.statusCode());
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
