package io.fleetkit.debian;

import io.fleetkit.events.FleetkitException;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads .deb packages in-process: an ar archive of {@code debian-binary}, {@code control.tar.*}
 * and {@code data.tar.*}, each tar compressed with xz, zstd, gzip, bzip2 or not at all.
 * {@link #readData} streams the data entries to a visitor after {@link ArchivePathGuard} has
 * checked each one; {@link #extractTo} is built on it. Nothing here runs maintainer scripts.
 */
public final class DebExtractor {

    private static final int MAX_CONTROL_BYTES = 1 << 20;

    private DebExtractor() {
    }

    /** Streams the data.tar entries of {@code deb} to {@code visitor}, checked and in archive order. */
    public static void readData(Path deb, DebEntryVisitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            readData(in, deb.getFileName().toString(), visitor);
        }
    }

    /** @param name how errors name the package, e.g. its file name */
    public static void readData(InputStream deb, String name, DebEntryVisitor visitor) throws IOException {
        readEntries(tar(member(deb, name, "data.tar")), name, visitor);
    }

    /**
     * The data.tar member of {@code deb}, decompressed, for a caller that keeps it (decompressing
     * xz is most of the time {@link #readData} takes); {@link #readDataTar} reads it as
     * {@link #readData} reads the package. Empty when it is larger than {@code maxBytes}.
     */
    public static Optional<byte[]> dataTar(Path deb, int maxBytes) throws IOException {
        String name = deb.getFileName().toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            InputStream data = member(in, name, "data.tar");
            byte[] tar = data.readNBytes(maxBytes);
            return tar.length == maxBytes && data.read() >= 0 ? Optional.empty() : Optional.of(tar);
        }
    }

    /** Streams the entries of an uncompressed data.tar ({@link #dataTar}), checked as {@link #readData} checks them. */
    public static void readDataTar(InputStream tar, String name, DebEntryVisitor visitor) throws IOException {
        readEntries(tar(tar), name, visitor);
    }

    private static void readEntries(TarArchiveInputStream tar, String name, DebEntryVisitor visitor) throws IOException {
        ArchivePathGuard guard = new ArchivePathGuard(name);
        InputStream empty = InputStream.nullInputStream();
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
            DebEntry e = toEntry(t, guard);
            if (e == null) {
                continue;
            }
            guard.admit(e);
            visitor.visit(e, e.type() == DebEntry.Type.FILE ? new UnclosableInputStream(tar) : empty);
        }
    }

    /** Extracts the data of {@code deb} under {@code root}, keeping modes and links; see {@link DirectoryWriter}. */
    public static void extractTo(Path deb, Path root) throws IOException {
        DirectoryWriter writer = new DirectoryWriter(root, deb.getFileName().toString());
        readData(deb, writer);
        writer.finish();
    }

    /** The package's own control paragraph (from control.tar.*). */
    public static ControlParagraph readControl(Path deb) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            return readControl(in, deb.getFileName().toString());
        }
    }

    public static ControlParagraph readControl(InputStream deb, String name) throws IOException {
        TarArchiveInputStream tar = tar(member(deb, name, "control.tar"));
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
            String n = t.getName().startsWith("./") ? t.getName().substring(2) : t.getName();
            if (n.equals("control") && t.isFile()) {
                if (t.getSize() > MAX_CONTROL_BYTES) {
                    throw bad(name, "control file is " + t.getSize() + " bytes, more than " + MAX_CONTROL_BYTES);
                }
                String text = new String(tar.readNBytes(MAX_CONTROL_BYTES), StandardCharsets.UTF_8);
                List<ControlParagraph> ps = ControlFileParser.parse(text);
                if (ps.size() != 1) {
                    throw bad(name, "control file has " + ps.size() + " paragraphs, expected 1");
                }
                return ps.get(0);
            }
        }
        throw bad(name, "control.tar has no 'control' file");
    }

    /** Names in UTF-8 whatever the host's locale (LANG=C would turn them into '?'). */
    private static TarArchiveInputStream tar(InputStream in) {
        return new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    }

    /** Positions on the ar member {@code prefix}.* and gives its decompressed content. */
    private static InputStream member(InputStream deb, String name, String prefix) throws IOException {
        ArArchiveInputStream ar = new ArArchiveInputStream(deb);
        ArArchiveEntry first = nextMember(ar, name);
        if (first == null || !stripSlash(first.getName()).equals("debian-binary")) {
            throw bad(name, "not a Debian package (no debian-binary member first)");
        }
        String format = new String(ar.readNBytes(16), StandardCharsets.US_ASCII);
        if (!format.startsWith("2.")) {
            throw bad(name, "unsupported .deb format '" + format.strip() + "'");
        }
        ArArchiveEntry m;
        while ((m = nextMember(ar, name)) != null) {
            String member = stripSlash(m.getName());
            if (member.startsWith(prefix)) {
                return decompress(ar, member.substring(prefix.length()), name, member);
            }
        }
        throw bad(name, "no " + prefix + ".* member");
    }

    /** Damaged ar headers become a clear error; IOExceptions from reading the file still travel. */
    private static ArArchiveEntry nextMember(ArArchiveInputStream ar, String name) throws IOException {
        try {
            return ar.getNextEntry();
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw e;
            }
            throw new FleetkitException("debian.bad-deb", name + ": damaged ar archive (" + e.getMessage() + ")",
                    "the download is damaged or not a Debian package; delete it from the cache and fetch again", e);
        }
    }

    private static InputStream decompress(InputStream in, String suffix, String name, String member) throws IOException {
        return switch (suffix) {
            case "" -> in;
            case ".xz" -> new XZCompressorInputStream(in);
            case ".zst" -> new ZstdCompressorInputStream(in);
            case ".gz" -> new GzipCompressorInputStream(in);
            case ".bz2" -> new BZip2CompressorInputStream(in);
            default -> throw bad(name, "member " + member + " uses an unknown compression");
        };
    }

    /** The entry as this package describes it, or null for the root directory itself. */
    private static DebEntry toEntry(TarArchiveEntry t, ArchivePathGuard guard) {
        String path = guard.normalise(t.getName());
        int mode = t.getMode() & 07777;
        long mtime = t.getModTime().toInstant().getEpochSecond();
        if (path.isEmpty()) {
            if (!t.isDirectory()) {
                throw guard.unsafe(t.getName(), "only the root directory may have an empty name");
            }
            return null;
        }
        if (t.isCharacterDevice() || t.isBlockDevice() || t.isFIFO()) {
            throw guard.unsafe(path, "device nodes, FIFOs and other special files are not allowed in packages");
        }
        if (t.isSymbolicLink()) {
            return new DebEntry(path, DebEntry.Type.SYMLINK, mode, t.getLinkName(), 0, mtime);
        }
        if (t.isLink()) {
            return new DebEntry(path, DebEntry.Type.HARDLINK, mode, guard.normalise(t.getLinkName()), 0, mtime);
        }
        if (t.isDirectory()) {
            return new DebEntry(path, DebEntry.Type.DIRECTORY, mode, null, 0, mtime);
        }
        if (t.isFile()) {
            return new DebEntry(path, DebEntry.Type.FILE, mode, null, t.getSize(), mtime);
        }
        throw guard.unsafe(path, "device nodes, FIFOs and other special files are not allowed in packages");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static FleetkitException bad(String name, String why) {
        return new FleetkitException("debian.bad-deb", name + ": " + why,
                "the download is damaged or not a Debian package; delete it from the cache and fetch again");
    }

    /** Lets visitors close what they were given without closing the tar stream. */
    private static final class UnclosableInputStream extends FilterInputStream {
        UnclosableInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
