package io.fleetkit.build.agent;

import io.fleetkit.debian.archive.ContentCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory tree as text, one sorted line per entry: {@code file <sha256> <mode> <path>},
 * {@code link <target> <path>} or {@code dir <path>} (modes 755/644: what an image keeps). The
 * same tree always gives the same bytes, so the text can be signed and compared.
 */
final class PackageManifest {

    private PackageManifest() {
    }

    static byte[] of(Path root) throws IOException {
        StringBuilder out = new StringBuilder();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path p : entries) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            if (Files.isSymbolicLink(p)) {
                out.append("link ").append(Files.readSymbolicLink(p)).append(' ').append(rel);
            } else if (Files.isDirectory(p)) {
                out.append("dir ").append(rel);
            } else {
                out.append("file ").append(ContentCache.sha256Of(p)).append(Files.isExecutable(p) ? " 755 " : " 644 ").append(rel);
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The first line where {@code actual} differs from {@code expected}, to name in an error. */
    static String firstDifference(byte[] expected, byte[] actual) {
        List<String> e = new String(expected, StandardCharsets.UTF_8).lines().toList();
        List<String> a = new String(actual, StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
            String x = i < e.size() ? e.get(i) : "(nothing)";
            String y = i < a.size() ? a.get(i) : "(nothing)";
            if (!x.equals(y)) {
                return "signed '" + x + "', found '" + y + "'";
            }
        }
        return "none";
    }
}
