package io.fleetkit.ota.bundle;

import io.fleetkit.json.JsonException;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a netbooted device may install to its disk: the disk image's written ranges cut into
 * pieces, each with its SHA-256, in the order they follow each other in the payload file
 * ({@value #PAYLOAD}). Unwritten ranges are not sent and not touched, as with a bmap. The
 * canonical JSON ({@value #FILE}) is signed with the fleet's update key ({@value #SIGNATURE}),
 * so a device trusts an install only from the key its netbooted system carries.
 *
 * @param diskBytes the whole image's size; a smaller disk is refused
 * @param when      {@code blank}: only a disk without a partition table; {@code always}: any disk
 */
public record DiskImageManifest(int formatVersion, String name, String version, String board, long diskBytes, String when,
                                List<Piece> pieces) {

    public static final String FILE = "disk.json";
    public static final String SIGNATURE = "disk.json.sig";
    public static final String PAYLOAD = "disk.data";
    public static final int FORMAT_VERSION = 1;
    /** Pieces are at most this long, so a bad byte costs at most one piece and memory stays small. */
    public static final int MAX_PIECE = 1 << 20;
    public static final Set<String> WHEN = Set.of("blank", "always");

    private static final Set<String> KEYS = Set.of("formatVersion", "name", "version", "board", "diskBytes", "when", "pieces");
    private static final Set<String> PIECE_KEYS = Set.of("offset", "length", "sha256");

    /** @param offset where on the disk the piece goes */
    public record Piece(long offset, int length, String sha256) {

        /** The piece for the first {@code length} bytes of {@code data}, going to {@code offset}. */
        public static Piece of(long offset, byte[] data, int length) {
            return new Piece(offset, length, digest(data, length));
        }

        /** True when {@code data} is exactly this piece's bytes. */
        public boolean matches(byte[] data) {
            return data.length == length && digest(data, length).equals(sha256);
        }

        private static String digest(byte[] data, int length) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(data, 0, length);
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
        }
    }

    public DiskImageManifest {
        pieces = List.copyOf(pieces);
        if (!WHEN.contains(when)) {
            throw new IllegalArgumentException("install 'when' must be blank or always, not " + when);
        }
        long end = 0;
        for (Piece p : pieces) {
            if (p.offset() < end || p.length() <= 0 || p.length() > MAX_PIECE || p.offset() + p.length() > diskBytes
                    || !p.sha256().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("piece at " + p.offset() + " (" + p.length()
                        + " bytes) is out of order, too long or outside the " + diskBytes + "-byte disk");
            }
            end = p.offset() + p.length();
        }
    }

    public long payloadBytes() {
        return pieces.stream().mapToLong(Piece::length).sum();
    }

    public byte[] encode() {
        Map<String, Object> map = new TreeMap<>();
        map.put("formatVersion", formatVersion);
        map.put("name", name);
        map.put("version", version);
        map.put("board", board);
        map.put("diskBytes", diskBytes);
        map.put("when", when);
        List<Object> list = new ArrayList<>();
        for (Piece p : pieces) {
            Map<String, Object> piece = new TreeMap<>();
            piece.put("offset", p.offset());
            piece.put("length", p.length());
            piece.put("sha256", p.sha256());
            list.add(piece);
        }
        map.put("pieces", list);
        return JsonWriter.write(map).getBytes(StandardCharsets.UTF_8);
    }

    /** Strict: unknown or missing keys and wrong types are refused ({@link IllegalArgumentException}). */
    public static DiskImageManifest decode(byte[] bytes) {
        try {
            Map<String, Object> map = JsonParser.parseObject(bytes, 64 * 1024 * 1024);
            requireKeys(map, KEYS);
            JsonFields f = JsonFields.of("disk image manifest", map, (what, detail) -> new IllegalArgumentException(detail));
            long format = f.requiredLong("formatVersion");
            if (format != FORMAT_VERSION) {
                throw new IllegalArgumentException("format version " + format + " (this agent reads " + FORMAT_VERSION + ")");
            }
            List<Piece> pieces = new ArrayList<>();
            for (Object o : f.requiredList("pieces")) {
                JsonFields piece = JsonFields.of("piece", o, (what, detail) -> new IllegalArgumentException("a piece: " + detail));
                requireKeys(piece.raw(), PIECE_KEYS);
                pieces.add(new Piece(piece.requiredNonNegative("offset"), piece.requiredInt("length", 0, Integer.MAX_VALUE),
                        piece.requiredString("sha256")));
            }
            return new DiskImageManifest((int) format, f.requiredString("name"), f.requiredString("version"), f.requiredString("board"),
                    f.requiredNonNegative("diskBytes"), f.requiredString("when"), pieces);
        } catch (JsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void requireKeys(Map<String, Object> map, Set<String> keys) {
        if (!map.keySet().equals(keys)) {
            throw new IllegalArgumentException("keys " + new TreeSet<>(map.keySet()) + " are not " + new TreeSet<>(keys));
        }
    }
}
