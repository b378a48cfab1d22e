package io.fleetkit.ota.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of a slot image and of each fixed-size chunk of it, measured while streaming. */
public record SlotDigests(long size, String sha256, List<String> chunkSha256) {

    /** Reads {@code in} to its end, copying to {@code copy} when not null. */
    public static SlotDigests measure(InputStream in, int chunkSize, OutputStream copy) throws IOException {
        MessageDigest whole = newSha256();
        MessageDigest chunk = newSha256();
        List<String> chunks = new ArrayList<>();
        byte[] buf = new byte[Math.min(chunkSize, 64 * 1024)];
        long size = 0;
        int inChunk = 0;
        int n;
        while ((n = in.read(buf, 0, Math.min(buf.length, chunkSize - inChunk))) > 0) {
            whole.update(buf, 0, n);
            chunk.update(buf, 0, n);
            if (copy != null) {
                copy.write(buf, 0, n);
            }
            size += n;
            inChunk += n;
            if (inChunk == chunkSize) {
                chunks.add(HexFormat.of().formatHex(chunk.digest()));
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            chunks.add(HexFormat.of().formatHex(chunk.digest()));
        }
        return new SlotDigests(size, HexFormat.of().formatHex(whole.digest()), List.copyOf(chunks));
    }

    /** The digest the manifest lists for a chunk: SHA-256 of its bytes, lower-case hex. */
    public static String chunkSha256(byte[] data, int offset, int length) {
        MessageDigest md = newSha256();
        md.update(data, offset, length);
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
