package io.fleetkit.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device tree blob (.dtb) read into nodes: the structure block's nodes and properties, nothing
 * more (no overlays, no memory reservations). Big-endian, version 16 or later (devicetree spec 0.4, ch. 5).
 */
public final class FlattenedDeviceTree {

    private static final int MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int NOP = 4;
    private static final int END = 9;

    /** One node: its full path, properties (raw values) and children in file order. */
    public record Node(String path, String name, Map<String, byte[]> properties, List<Node> children) {

        public Optional<byte[]> property(String key) {
            return Optional.ofNullable(properties.get(key));
        }

        /** A property's NUL-separated strings (compatible, status, stdout-path). */
        public List<String> strings(String key) {
            byte[] v = properties.get(key);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            int start = 0;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0) {
                    if (i > start) {
                        out.add(new String(v, start, i - start, StandardCharsets.US_ASCII));
                    }
                    start = i + 1;
                }
            }
            return out;
        }

        public List<String> compatible() {
            return strings("compatible");
        }

        /** The property as big-endian 32-bit cells. */
        public int[] cells(String key) {
            byte[] v = properties.getOrDefault(key, new byte[0]);
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.BIG_ENDIAN);
            int[] out = new int[v.length / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getInt(i * 4);
            }
            return out;
        }

        public boolean enabled() {
            List<String> status = strings("status");
            return status.isEmpty() || status.get(0).equals("okay") || status.get(0).equals("ok");
        }

        /** The name without its unit address: {@code mmc@7e340000} is {@code mmc}. */
        public String baseName() {
            int at = name.indexOf('@');
            return at < 0 ? name : name.substring(0, at);
        }
    }

    private final Node root;
    private final Map<String, Node> byPath = new LinkedHashMap<>();
    private final Map<Integer, Node> byPhandle = new LinkedHashMap<>();

    private FlattenedDeviceTree(Node root) {
        this.root = root;
        index(root);
    }

    public static FlattenedDeviceTree read(byte[] blob) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        if (blob.length < 40 || b.getInt(0) != MAGIC) {
            throw new IOException("not a device tree blob (no 0xd00dfeed magic)");
        }
        int total = b.getInt(4);
        int structOff = b.getInt(8);
        int stringsOff = b.getInt(12);
        if (total > blob.length || structOff >= total || stringsOff >= total) {
            throw new IOException("device tree blob is truncated or its offsets are out of range");
        }
        Parser p = new Parser(b, structOff, stringsOff, total);
        return new FlattenedDeviceTree(p.node(""));
    }

    public Node root() {
        return root;
    }

    /**
     * {@code blob} with a new child {@code name} of the root node holding {@code properties} (in their
     * order), laid out afresh as header, memory reservations, structure, strings. Refused when the root
     * already has a child of that name.
     */
    public static byte[] withRootChild(byte[] blob, String name, Map<String, byte[]> properties) throws IOException {
        if (read(blob).node("/" + name).isPresent()) {
            throw new IOException("device tree already has /" + name);
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        int structOff = b.getInt(8);
        int stringsOff = b.getInt(12);
        int rsvOff = b.getInt(16);
        int stringsSize = b.getInt(32);
        int structSize = b.getInt(36);
        Parser p = new Parser(b, structOff, stringsOff, b.getInt(4));
        p.node("");
        int rootEnd = p.rootEnd;
        int rsvEnd = rsvOff;
        while (b.getLong(rsvEnd) != 0 || b.getLong(rsvEnd + 8) != 0) {
            rsvEnd += 16;
        }
        rsvEnd += 16;

        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(blob, stringsOff, stringsSize);
        ByteBuffer node = ByteBuffer.allocate(64 + name.length() + properties.entrySet().stream()
                .mapToInt(e -> 16 + e.getValue().length).sum()).order(ByteOrder.BIG_ENDIAN);
        node.putInt(BEGIN_NODE).put(name.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        pad(node);
        for (Map.Entry<String, byte[]> e : properties.entrySet()) {
            node.putInt(PROP).putInt(e.getValue().length).putInt(strings.size()).put(e.getValue());
            pad(node);
            strings.writeBytes((e.getKey() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        node.putInt(END_NODE);

        int newRsv = 40;
        int newStruct = newRsv + (rsvEnd - rsvOff);
        int newStructSize = structSize + node.position();
        int newStrings = newStruct + newStructSize;
        int total = newStrings + strings.size();
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC).putInt(total).putInt(newStruct).putInt(newStrings).putInt(newRsv)
                .putInt(17).putInt(16).putInt(b.getInt(28)).putInt(strings.size()).putInt(newStructSize);
        out.put(blob, rsvOff, rsvEnd - rsvOff);
        out.put(blob, structOff, rootEnd - structOff);
        out.put(node.array(), 0, node.position());
        out.put(blob, rootEnd, structOff + structSize - rootEnd);
        out.put(strings.toByteArray());
        return out.array();
    }

    private static void pad(ByteBuffer b) {
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    public Optional<Node> node(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public Optional<Node> byPhandle(int phandle) {
        return Optional.ofNullable(byPhandle.get(phandle));
    }

    public List<Node> nodes() {
        return List.copyOf(byPath.values());
    }

    /** A path or an alias ({@code serial1}, {@code serial1:115200n8}) to its node. */
    public Optional<Node> resolve(String pathOrAlias) {
        String p = pathOrAlias.contains(":") ? pathOrAlias.substring(0, pathOrAlias.indexOf(':')) : pathOrAlias;
        if (p.startsWith("/")) {
            return node(p);
        }
        return node("/aliases").flatMap(a -> a.strings(p).stream().findFirst()).flatMap(this::node);
    }

    private void index(Node n) {
        byPath.put(n.path().isEmpty() ? "/" : n.path(), n);
        int[] ph = n.cells("phandle");
        if (ph.length == 1) {
            byPhandle.put(ph[0], n);
        }
        n.children().forEach(this::index);
    }

    private static final class Parser {
        private final ByteBuffer b;
        private final int stringsOff;
        private final int end;
        private int pos;
        /** Where the root node's END_NODE token is, once parsed. */
        int rootEnd = -1;

        Parser(ByteBuffer b, int structOff, int stringsOff, int end) {
            this.b = b;
            this.stringsOff = stringsOff;
            this.end = end;
            this.pos = structOff;
        }

        Node node(String parentPath) throws IOException {
            int token = nextToken();
            if (token != BEGIN_NODE) {
                throw new IOException("device tree: expected a node at " + pos);
            }
            String name = cString(pos);
            pos = align(pos + name.length() + 1);
            String path = parentPath.equals("/") || parentPath.isEmpty() && name.isEmpty() ? "/" + name : parentPath + "/" + name;
            if (name.isEmpty()) {
                path = "";
            }
            Map<String, byte[]> props = new LinkedHashMap<>();
            List<Node> children = new ArrayList<>();
            while (true) {
                int save = pos;
                int t = nextToken();
                if (t == PROP) {
                    int len = b.getInt(pos);
                    int nameOff = b.getInt(pos + 4);
                    pos += 8;
                    if (len < 0 || pos + len > end) {
                        throw new IOException("device tree: property runs past the blob");
                    }
                    byte[] v = new byte[len];
                    b.get(pos, v);
                    props.put(cString(stringsOff + nameOff), v);
                    pos = align(pos + len);
                } else if (t == BEGIN_NODE) {
                    pos = save;
                    children.add(node(path.isEmpty() ? "/" : path));
                } else if (t == END_NODE) {
                    if (path.isEmpty()) {
                        rootEnd = save;
                    }
                    return new Node(path, name, props, children);
                } else {
                    throw new IOException("device tree: unexpected token " + t + " at " + save);
                }
            }
        }

        private int nextToken() throws IOException {
            while (true) {
                if (pos + 4 > end) {
                    throw new IOException("device tree: structure block runs past the blob");
                }
                int t = b.getInt(pos);
                pos += 4;
                if (t != NOP) {
                    if (t == END) {
                        throw new IOException("device tree: structure ends inside a node");
                    }
                    return t;
                }
            }
        }

        private String cString(int at) throws IOException {
            int i = at;
            while (i < end && b.get(i) != 0) {
                i++;
            }
            if (i >= end) {
                throw new IOException("device tree: unterminated string at " + at);
            }
            byte[] s = new byte[i - at];
            b.get(at, s);
            return new String(s, StandardCharsets.US_ASCII);
        }

        private static int align(int p) {
            return (p + 3) & ~3;
        }
    }
}
