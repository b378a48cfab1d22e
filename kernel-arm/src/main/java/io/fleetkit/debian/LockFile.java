package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The exact package set of an image, so rebuilds fetch the same bytes. Text, one package a
 * line {@code name version arch sha256 size filename}, sorted by name, after a header line
 * {@code # fleetkit-lock 1}. Other '#' lines and blank lines are allowed when reading.
 */
public record LockFile(List<Entry> entries) {

    public static final String HEADER = "# fleetkit-lock 1";

    public record Entry(String name, DebianVersion version, String architecture, String sha256, long size,
                        String filename) {
        static Entry of(BinaryPackage p) {
            return new Entry(p.name(), p.version(), p.architecture(), p.sha256(), p.size(), p.filename());
        }
    }

    public LockFile {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::name));
        Set<String> names = new HashSet<>();
        for (Entry e : sorted) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("package " + e.name() + " appears twice in a lock");
            }
        }
        entries = List.copyOf(sorted);
    }

    public static LockFile of(Resolution resolution) {
        return new LockFile(resolution.packages().stream().map(Entry::of).toList());
    }

    public String toText() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            sb.append(e.name()).append(' ').append(e.version()).append(' ').append(e.architecture()).append(' ')
                    .append(e.sha256()).append(' ').append(e.size()).append(' ').append(e.filename()).append('\n');
        }
        return sb.toString();
    }

    /** Writes to a temporary file beside {@code path} and moves it into place, so readers never see half a lock. */
    public void write(Path path) throws IOException {
        Path abs = path.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toText(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static LockFile read(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** Strict parse; errors name {@code source} and the line. */
    public static LockFile parse(String text, String source) {
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw syntax(source, 1, "expected the header '" + HEADER + "'");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String previous = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNo = i + 1;
            String[] f = line.split("[ \t]+");
            if (f.length != 6) {
                throw syntax(source, lineNo, "expected 6 fields 'name version arch sha256 size filename', got " + f.length);
            }
            if (!f[0].matches("[a-z0-9][a-z0-9+.-]*")) {
                throw syntax(source, lineNo, "'" + f[0] + "' is not a package name");
            }
            DebianVersion v;
            try {
                v = DebianVersion.parse(f[1]);
            } catch (FleetkitException e) {
                throw syntax(source, lineNo, e.getMessage());
            }
            if (!f[2].matches("[a-z0-9-]+")) {
                throw syntax(source, lineNo, "'" + f[2] + "' is not an architecture");
            }
            if (!f[3].matches("[0-9a-f]{64}")) {
                throw syntax(source, lineNo, "'" + f[3] + "' is not a SHA-256 (64 lower-case hex digits)");
            }
            long size;
            try {
                size = Long.parseLong(f[4]);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw syntax(source, lineNo, "'" + f[4] + "' is not a size in bytes");
            }
            if (f[5].startsWith("/") || f[5].contains("..") || !f[5].endsWith(".deb")) {
                throw syntax(source, lineNo, "'" + f[5] + "' is not an archive-relative .deb path");
            }
            if (!names.add(f[0])) {
                throw syntax(source, lineNo, "package " + f[0] + " appears twice");
            }
            if (previous != null && previous.compareTo(f[0]) > 0) {
                throw syntax(source, lineNo, "entries are not sorted (" + f[0] + " after " + previous + ")");
            }
            previous = f[0];
            out.add(new Entry(f[0], v, f[2], f[3], size, f[5]));
        }
        return new LockFile(out);
    }

    private static FleetkitException syntax(String source, int line, String why) {
        return new FleetkitException("debian.lock-syntax", source + ":" + line + ": " + why,
                "fix the line or regenerate the lock with --update-lock");
    }
}
