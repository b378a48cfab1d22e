package io.fleetkit.debian;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Builds .deb files (ar + tar, via commons-compress) for tests, including hostile ones. */
final class TestDeb {

    private record Item(String name, byte type, int mode, String link, byte[] data) {
    }

    private final List<Item> items = new ArrayList<>();
    private String control = "Package: test\nVersion: 1.0-1\nArchitecture: arm64\nDescription: test\n";

    TestDeb file(String name, int mode, String content) {
        items.add(new Item(name, TarConstants.LF_NORMAL, mode, null, content.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    TestDeb dir(String name, int mode) {
        items.add(new Item(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, null, new byte[0]));
        return this;
    }

    TestDeb symlink(String name, String target) {
        items.add(new Item(name, TarConstants.LF_SYMLINK, 0777, target, new byte[0]));
        return this;
    }

    TestDeb hardlink(String name, String target) {
        items.add(new Item(name, TarConstants.LF_LINK, 0644, target, new byte[0]));
        return this;
    }

    TestDeb special(String name, byte type) {
        items.add(new Item(name, type, 0600, null, new byte[0]));
        return this;
    }

    TestDeb control(String text) {
        control = text;
        return this;
    }

    Path write(Path dir, String fileName, String compression) throws IOException {
        Path p = dir.resolve(fileName);
        Files.write(p, build(compression));
        return p;
    }

    byte[] build(String compression) throws IOException {
        byte[] controlTar = tar(List.of(
                new Item("./", TarConstants.LF_DIR, 0755, null, new byte[0]),
                new Item("./control", TarConstants.LF_NORMAL, 0644, null, control.getBytes(StandardCharsets.UTF_8))), "gz");
        byte[] dataTar = tar(items, compression);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.gz", controlTar);
            member(ar, "data.tar" + (compression.isEmpty() ? "" : "." + compression), dataTar);
        }
        return out.toByteArray();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, data.length, 0, 0, 0100644, 1_700_000_000L));
        ar.write(data);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(List<Item> items, String compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream c = compress(bytes, compression); TarArchiveOutputStream tar = new TarArchiveOutputStream(c)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item i : items) {
                TarArchiveEntry e = new TarArchiveEntry(i.name(), i.type(), true);   // keep hostile absolute names
                e.setMode((i.type() == TarConstants.LF_DIR ? 040000 : i.type() == TarConstants.LF_SYMLINK ? 0120000 : i.type() == TarConstants.LF_NORMAL || i.type() == TarConstants.LF_LINK ? 0100000 : 0) | i.mode());
                e.setModTime(new Date(1_700_000_000_000L));
                if (i.link() != null) {
                    e.setLinkName(i.link());
                }
                e.setSize(i.data().length);
                tar.putArchiveEntry(e);
                tar.write(i.data());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static OutputStream compress(OutputStream out, String compression) throws IOException {
        return switch (compression) {
            case "" -> out;
            case "xz" -> new XZCompressorOutputStream(out);
            case "zst" -> new ZstdCompressorOutputStream(out);
            case "gz" -> new GzipCompressorOutputStream(out);
            case "bz2" -> new BZip2CompressorOutputStream(out);
            default -> throw new IllegalArgumentException(compression);
        };
    }
}
