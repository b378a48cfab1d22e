package io.fleetkit.build;

import io.fleetkit.formats.disk.ByteRange;
import io.fleetkit.ota.bundle.BundleSigner;
import io.fleetkit.ota.bundle.DiskImageManifest;
import io.fleetkit.ota.bundle.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The netboot tree's {@code install/} folder, for a spec that lets a netbooted agent install the
 * image to the board's disk: the disk image's written ranges as one payload file in pieces of at
 * most 1 MiB, and a manifest of where each piece goes with its SHA-256, signed with the fleet's
 * update key. The device streams the payload once, checking every piece before writing it.
 */
final class NetbootInstallPayload {

    static final String DIR = "install";

    private NetbootInstallPayload() {
    }

    /** Writes {@code dir/install/}; returns the manifest written. */
    static DiskImageManifest write(Path dir, Path diskImage, List<ByteRange> written, String name, String version, String board,
                                   String when, SigningKey key) throws IOException {
        Path out = dir.resolve(DIR);
        Files.createDirectories(out);
        List<DiskImageManifest.Piece> pieces = new ArrayList<>();
        try (FileChannel in = FileChannel.open(diskImage, StandardOpenOption.READ);
             OutputStream payload = Files.newOutputStream(out.resolve(DiskImageManifest.PAYLOAD))) {
            ByteBuffer buf = ByteBuffer.allocate(DiskImageManifest.MAX_PIECE);
            for (ByteRange range : written) {
                for (long at = range.offset(); at < range.end(); at += DiskImageManifest.MAX_PIECE) {
                    int length = (int) Math.min(DiskImageManifest.MAX_PIECE, range.end() - at);
                    buf.clear().limit(length);
                    while (buf.hasRemaining()) {
                        if (in.read(buf, at + buf.position()) < 0) {
                            throw new IOException(diskImage + " ends before byte " + (at + length));
                        }
                    }
                    payload.write(buf.array(), 0, length);
                    pieces.add(DiskImageManifest.Piece.of(at, buf.array(), length));
                }
            }
            DiskImageManifest manifest = new DiskImageManifest(DiskImageManifest.FORMAT_VERSION, name, version, board, in.size(),
                    when, pieces);
            byte[] json = manifest.encode();
            Files.write(out.resolve(DiskImageManifest.FILE), json);
            Files.write(out.resolve(DiskImageManifest.SIGNATURE), BundleSigner.sign(json, key.privateKey()));
            return manifest;
        }
    }
}
