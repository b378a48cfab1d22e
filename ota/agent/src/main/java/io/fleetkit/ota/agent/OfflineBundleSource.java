package io.fleetkit.ota.agent;

import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.ota.bundle.BundleFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the agent finds bundles dropped for it without the server ({@code offline.bundles}):
 * {@code boot:NAME} is file NAME on the boot partition p1 (the default, {@code boot:fleetkit-update.bundle}:
 * a card or an image can be given one from any computer, which reads FAT), read in place on the
 * disk as the agent reads its identity; any other value is a path on the device, a bundle file or
 * a directory whose {@code *.bundle} files are candidates (a mounted USB stick); empty: nowhere.
 * Only candidates are found here; nothing is trusted.
 */
final class OfflineBundleSource {

    static final String DEFAULT = "boot:fleetkit-update" + BundleFormat.FILE_SUFFIX;
    private static final String BOOT = "boot:";
    /** A directory with more candidates than this is not a drop location; the first ones by name are taken. */
    static final int MAX_CANDIDATES = 8;

    /** A file that may hold a bundle: {@code name} is what the configuration calls it, and how it is found again. */
    interface Candidate {
        String name();

        long size();

        InputStream open() throws IOException;
    }

    private final String spec;
    private final FatFileInPlace bootFiles;

    /** {@code spec} as {@code offline.bundles} says; {@code bootFiles}: p1 of the device's disk. */
    OfflineBundleSource(String spec, FatFileInPlace bootFiles) {
        this.spec = spec == null ? "" : spec.strip();
        this.bootFiles = bootFiles;
    }

    /** False for the boot partition: its file changes only while the card is out of the device. */
    boolean changesWhileRunning() {
        return !spec.isEmpty() && !spec.startsWith(BOOT);
    }

    /** The candidates there now, by name. */
    List<Candidate> candidates() throws IOException {
        List<Candidate> out = new ArrayList<>();
        if (spec.isEmpty()) {
            return out;
        }
        if (spec.startsWith(BOOT)) {
            bootFile(spec).ifPresent(out::add);
            return out;
        }
        Path p = Path.of(spec);
        if (Files.isRegularFile(p)) {
            out.add(hostFile(p));
        } else if (Files.isDirectory(p)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> d = Files.newDirectoryStream(p, "*" + BundleFormat.FILE_SUFFIX)) {
                d.forEach(files::add);
            }
            files.sort(null);
            for (Path f : files) {
                if (out.size() < MAX_CANDIDATES && Files.isRegularFile(f)) {
                    out.add(hostFile(f));
                }
            }
        }
        return out;
    }

    /** The candidate called {@code name} (as {@link Candidate#name()} gave it), if it is still there. */
    Optional<Candidate> find(String name) throws IOException {
        if (name.startsWith(BOOT)) {
            return bootFile(name);
        }
        Path p = Path.of(name);
        return Files.isRegularFile(p) ? Optional.of(hostFile(p)) : Optional.empty();
    }

    private Optional<Candidate> bootFile(String name) throws IOException {
        String file = name.substring(BOOT.length());
        Optional<List<ByteRange>> extents = bootFiles.extents(file);
        if (extents.isEmpty()) {
            return Optional.empty();
        }
        List<ByteRange> ranges = extents.get();
        long size = ranges.stream().mapToLong(ByteRange::length).sum();
        Path disk = bootFiles.disk();
        return Optional.of(new Candidate() {
            public String name() {
                return name;
            }

            public long size() {
                return size;
            }

            public InputStream open() throws IOException {
                return new RangesStream(FileChannel.open(disk, StandardOpenOption.READ), ranges);
            }
        });
    }

    private static Candidate hostFile(Path p) throws IOException {
        long size = Files.size(p);
        String name = p.toString();
        return new Candidate() {
            public String name() {
                return name;
            }

            public long size() {
                return size;
            }

            public InputStream open() throws IOException {
                return Channels.newInputStream(FileChannel.open(p, StandardOpenOption.READ));
            }
        };
    }

    /** The bytes of a file given as ranges of a disk, in order. */
    private static final class RangesStream extends InputStream {
        private final FileChannel ch;
        private final List<ByteRange> ranges;
        private int range;
        private long inRange;

        RangesStream(FileChannel ch, List<ByteRange> ranges) {
            this.ch = ch;
            this.ranges = ranges;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (range < ranges.size() && inRange == ranges.get(range).length()) {
                range++;
                inRange = 0;
            }
            if (len == 0) {
                return 0;
            }
            if (range == ranges.size()) {
                return -1;
            }
            ByteRange r = ranges.get(range);
            int n = (int) Math.min(len, r.length() - inRange);
            int got = ch.read(ByteBuffer.wrap(b, off, n), r.offset() + inRange);
            if (got < 0) {
                throw new IOException("the disk ends inside a file of the boot partition");
            }
            inRange += got;
            return got;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
