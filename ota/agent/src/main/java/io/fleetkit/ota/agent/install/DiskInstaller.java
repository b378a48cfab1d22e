package io.fleetkit.ota.agent.install;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.DiskImageManifest;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.List;

/**
 * Installs the image a netboot server offers to the board's disk, turning a network boot into
 * provisioning: fetches the signed manifest ({@link DiskImageManifest}), checks its signature with
 * the keys this system trusts and its board, then streams the payload once, checking every piece's
 * SHA-256 before writing it where it goes. The piece holding the partition table is written last,
 * after everything else is on the disk and read back, so an interrupted install leaves a disk that
 * still looks blank and is installed again on the next netboot instead of half-booting.
 */
public final class DiskInstaller {

    public enum Outcome {
        INSTALLED,
        /** {@code when: blank} and the disk holds something: nothing was written. */
        NOT_BLANK,
        /** The board has no disk: the system keeps running from RAM. */
        NO_DISK
    }

    private static final String TASK = "install";
    private static final int MAX_MANIFEST = 64 << 20;
    private static final int BLANK_PROBE = 1 << 20;

    private final Path disk;
    private final Path sysBlock;
    private final String board;
    private final List<PublicKey> trusted;
    private final EventSink sink;

    /** @param sysBlock {@code /sys/class/block}, where a block device's size is read */
    public DiskInstaller(Path disk, Path sysBlock, String board, List<PublicKey> trusted, EventSink sink) {
        this.disk = disk;
        this.sysBlock = sysBlock;
        this.board = board;
        this.trusted = List.copyOf(trusted);
        this.sink = sink;
    }

    public Outcome install(URI manifestUrl) throws IOException {
        byte[] json = fetch(manifestUrl, MAX_MANIFEST);
        byte[] signature = fetch(manifestUrl.resolve(DiskImageManifest.SIGNATURE), BundleSigner.SIGNATURE_LENGTH);
        if (trusted.stream().noneMatch(k -> BundleSigner.verify(json, signature, k))) {
            throw new FleetkitException("install.bad-signature", manifestUrl + " is not signed by this fleet's update key",
                    "serve an image built with the same keys as the netbooted system ('update.keys' in its spec)");
        }
        DiskImageManifest m;
        try {
            m = DiskImageManifest.decode(json);
        } catch (IllegalArgumentException e) {
            throw new FleetkitException("install.malformed", manifestUrl + ": " + e.getMessage(), "rebuild the image with 'fleet build'", e);
        }
        if (!m.board().equals(board)) {
            throw new FleetkitException("install.other-board", manifestUrl + " is for board " + m.board() + ", this is " + board,
                    "assign this board an image built for " + board);
        }
        if (!Files.exists(disk)) {
            sink.info(TASK, "no disk " + disk + " to install " + m.name() + " " + m.version() + " to: running from RAM only");
            return Outcome.NO_DISK;
        }
        long size = BlockDevice.size(disk, sysBlock);
        if (size < m.diskBytes()) {
            throw new FleetkitException("install.disk-too-small", disk + " holds " + size + " bytes; " + m.name() + " " + m.version()
                    + " needs " + m.diskBytes(), "use a larger disk or smaller 'layout' sizes in the spec");
        }
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (m.when().equals("blank") && !blank(ch)) {
                sink.info(TASK, disk + " is not blank (its first MiB holds data): not installing " + m.name() + " " + m.version()
                        + "; 'update.netboot_install: always' in the spec would overwrite it");
                return Outcome.NOT_BLANK;
            }
            sink.info(TASK, "installing " + m.name() + " " + m.version() + " to " + disk + " from " + manifestUrl.resolve("."));
            byte[] first = write(m, manifestUrl.resolve(DiskImageManifest.PAYLOAD), ch);
            ch.force(true);
            readBack(m, ch, true);
            if (first != null) {
                ch.write(ByteBuffer.wrap(first), 0);
                ch.force(true);
                readBack(m, ch, false);
            }
            sink.info(TASK, "installed " + m.name() + " " + m.version() + " to " + disk + " (" + m.payloadBytes() + " bytes written and read back)");
            return Outcome.INSTALLED;
        }
    }

    /** Streams the payload, writing each checked piece; returns the piece at offset 0, held back. */
    private byte[] write(DiskImageManifest m, URI payload, FileChannel ch) throws IOException {
        byte[] first = null;
        long done = 0;
        HttpURLConnection c = connect(payload);
        try (InputStream in = c.getInputStream()) {
            for (DiskImageManifest.Piece p : m.pieces()) {
                byte[] b = in.readNBytes(p.length());
                if (b.length < p.length()) {
                    throw new IOException(payload + " ends after " + (done + b.length) + " of " + m.payloadBytes() + " bytes");
                }
                if (!p.matches(b)) {
                    throw new FleetkitException("install.piece-mismatch", payload + ": the piece for disk offset " + p.offset()
                            + " does not match the signed manifest; nothing past it was written",
                            "serve the install folder exactly as 'fleet build' wrote it");
                }
                if (p.offset() == 0) {
                    first = b;
                } else {
                    ch.write(ByteBuffer.wrap(b), p.offset());
                }
                done += b.length;
                sink.progress(TASK, done, m.payloadBytes(), Event.Unit.BYTES);
            }
        } finally {
            c.disconnect();
        }
        return first;
    }

    private void readBack(DiskImageManifest m, FileChannel ch, boolean allButFirst) throws IOException {
        for (DiskImageManifest.Piece p : m.pieces()) {
            if ((p.offset() == 0) == allButFirst) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(p.length());
            while (b.hasRemaining() && ch.read(b, p.offset() + b.position()) > 0) {
                // reads until full
            }
            if (b.hasRemaining() || !p.matches(b.array())) {
                throw new FleetkitException("install.readback-mismatch", disk + " reads back different bytes at offset " + p.offset(),
                        "the disk may be failing; replace it or retry the netboot");
            }
        }
    }

    /** Blank: the first MiB is all zero or all 0xff bytes — no partition table, no filesystem, nothing to lose. */
    private static boolean blank(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BLANK_PROBE);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // reads until full or the end of a tiny disk
        }
        byte fill = b.get(0);
        if (fill != 0 && fill != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) != fill) {
                return false;
            }
        }
        return true;
    }

    private static byte[] fetch(URI url, int max) throws IOException {
        HttpURLConnection c = connect(url);
        try (InputStream in = c.getInputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new IOException(url + " is longer than " + max + " bytes");
            }
            return b;
        } finally {
            c.disconnect();
        }
    }

    private static HttpURLConnection connect(URI url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        int status = c.getResponseCode();
        if (status != 200) {
            c.disconnect();
            throw new IOException("GET " + url + ": HTTP " + status);
        }
        return c;
    }
}
