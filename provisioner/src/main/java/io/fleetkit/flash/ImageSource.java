package io.fleetkit.flash;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bmap.Bmap;
import io.fleetkit.formats.bmap.BmapReader;
import io.fleetkit.json.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;

/**
 * Where an image comes from: a local file or an http(s) URL, plain or compressed, with the
 * block map that belongs to it (found beside it unless given or refused) and, for local
 * images, the build report beside it (name, version, digest).
 *
 * @param name        the image's file name, as users know it
 * @param bmapOrigin  where the bmap came from, or null when there is none
 * @param imageSize   bytes of the decompressed image when known, else -1
 * @param report      the build report {@code <name>-<version>.json} beside a local image, or empty
 */
public record ImageSource(String name, Path path, URI uri, Compression compression, Optional<Bmap> bmap,
                          String bmapOrigin, String bmapSha256, long imageSize, Map<String, Object> report) {

    private static final List<String> SUFFIXES = List.of("", ".img", ".img.xz", ".img.zst", ".img.gz", ".img.bz2");

    /**
     * Resolves {@code image}: a path (also a build output base name such as {@code out/gw-1.0.0}),
     * or an http(s) URL. {@code bmapFile} overrides the search; {@code noBmap} copies every byte.
     */
    public static ImageSource resolve(String image, Path bmapFile, boolean noBmap) throws IOException {
        if (image.startsWith("http://") || image.startsWith("https://")) {
            URI uri = URI.create(image);
            String name = Path.of(uri.getPath()).getFileName().toString();
            Compression c = Compression.ofName(name);
            Bmap bmap = null;
            String origin = null;
            byte[] raw = null;
            if (bmapFile != null) {
                raw = Files.readAllBytes(bmapFile);
                origin = bmapFile.toString();
            } else if (!noBmap) {
                for (String candidate : bmapNames(image, c)) {
                    raw = fetchSmall(URI.create(candidate));
                    if (raw != null) {
                        origin = candidate;
                        break;
                    }
                }
            }
            if (raw != null) {
                bmap = BmapReader.parse(raw, origin);
            }
            return new ImageSource(name, null, uri, c, Optional.ofNullable(bmap), origin, raw == null ? null : sha256(raw),
                    bmap != null ? bmap.imageSize() : -1, remoteReport(image, c));
        }
        Path path = locate(image);
        String name = path.getFileName().toString();
        Compression c = Compression.ofName(name);
        DiskImageSignature.require(path, c, image);
        Path bmapPath = bmapFile;
        if (bmapPath == null && !noBmap) {
            bmapPath = bmapNames(path.toString(), c).stream().map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
        }
        Bmap bmap = null;
        String bmapSha = null;
        if (bmapPath != null) {
            byte[] raw = Files.readAllBytes(bmapPath);
            bmap = BmapReader.parse(raw, bmapPath.toString());
            bmapSha = sha256(raw);
        }
        long size = bmap != null ? bmap.imageSize() : c == Compression.NONE ? Files.size(path) : -1;
        if (bmap != null && c == Compression.NONE && Files.size(path) != bmap.imageSize()) {
            throw new FleetkitException("flash.bmap-size", bmapPath + " describes an image of " + bmap.imageSize()
                    + " bytes but " + path + " has " + Files.size(path), "use the bmap made for this image, or --no-bmap");
        }
        return new ImageSource(name, path, null, c, Optional.ofNullable(bmap), bmapPath == null ? null : bmapPath.toString(),
                bmapSha, size, report(path, c));
    }

    /** The raw (still compressed) bytes. */
    public InputStream openRaw() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        try {
            HttpResponse<InputStream> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new FleetkitException("flash.download", uri + " answered HTTP " + r.statusCode(), "check the URL");
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + uri);
        }
    }

    /**
     * The decompressed image. A local plain or .xz file opens seekable, so unmapped stretches are
     * skipped without reading them; an .xz made in blocks (xz -T) then decodes only the blocks that
     * hold mapped data. Other sources stream from the start.
     */
    public InputStream openDecoded() throws IOException {
        try {
            if (path != null && compression == Compression.NONE) {
                return new SeekableFileInputStream(path.toFile());
            }
            if (path != null && compression == Compression.XZ) {
                SeekableFileInputStream file = new SeekableFileInputStream(path.toFile());
                try {
                    return new SeekableXZInputStream(file);
                } catch (IOException | RuntimeException e) {
                    file.close();
                    throw e;
                }
            }
            return compression.decode(openRaw());
        } catch (java.io.EOFException e) {
            throw new FleetkitException("flash.source-truncated", name + " is truncated: " + e.getMessage(),
                    "the file is incomplete; download or copy it again", e);
        } catch (org.tukaani.xz.XZIOException | java.util.zip.ZipException e) {
            throw new FleetkitException("flash.source-unreadable", name + " cannot be decoded: " + e.getMessage(),
                    "the file is damaged; download or copy it again", e);
        }
    }

    public FlashPlan plan() {
        return bmap.map(FlashPlan::of).orElseGet(() -> FlashPlan.whole(imageSize));
    }

    /** Image name and version from the build report, when there is one. */
    public Optional<String> reportValue(String key) {
        return report.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The SHA-256 of the image file as the build report lists it, when there is one. */
    @SuppressWarnings("unchecked")
    public Optional<String> reportedSha256() {
        if (report.get("outputs") instanceof Map<?, ?> outputs && outputs.get(name) instanceof Map<?, ?> entry
                && entry.get("sha256") instanceof String s) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    private static Path locate(String image) {
        for (String suffix : SUFFIXES) {
            Path p = Path.of(image + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new FleetkitException("flash.no-image", "no image at " + image + " (also tried "
                + String.join(", ", SUFFIXES.subList(1, SUFFIXES.size())) + ")",
                "give the .img file fleet build wrote, or an http(s) URL");
    }

    /** bmap files to try, first found wins: x.img.xz.bmap, x.img.bmap, x.bmap. */
    static List<String> bmapNames(String image, Compression c) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        names.add(image + ".bmap");
        String plain = c.strip(image);
        names.add(plain + ".bmap");
        if (plain.endsWith(".img")) {
            names.add(plain.substring(0, plain.length() - 4) + ".bmap");
        }
        return new ArrayList<>(names);
    }

    private static Map<String, Object> report(Path image, Compression c) {
        String plain = c.strip(image.toString());
        Path report = Path.of((plain.endsWith(".img") ? plain.substring(0, plain.length() - 4) : plain) + ".json");
        try {
            if (Files.isRegularFile(report) && Files.size(report) < (4 << 20)) {
                return JsonParser.parseObject(Files.readString(report, StandardCharsets.UTF_8), 4 << 20);
            }
        } catch (IOException | RuntimeException e) {
            // A missing or unreadable report only means less detail in the records.
        }
        return Map.of();
    }

    /** The build report beside an image on a web server ({@code .../gw-1.0.0.json}), or nothing. */
    private static Map<String, Object> remoteReport(String image, Compression c) {
        String plain = c.strip(image);
        try {
            byte[] raw = fetchSmall(URI.create((plain.endsWith(".img") ? plain.substring(0, plain.length() - 4) : plain) + ".json"));
            if (raw != null && raw.length < (4 << 20)) {
                return JsonParser.parseObject(raw, 4 << 20);
            }
        } catch (IOException | RuntimeException e) {
            // As for a local image: no report only means less is known about the image.
        }
        return Map.of();
    }

    private static byte[] fetchSmall(URI uri) throws IOException {
        try {
            HttpResponse<byte[]> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 && r.body().length < (64 << 20) ? r.body() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + uri);
        }
    }

    static String sha256(byte[] raw) {
        return Digests.hex(Digests.create("SHA-256").digest(raw));
    }
}
