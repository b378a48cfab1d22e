package io.fleetkit.build;

import io.fleetkit.formats.cpio.CpioNewcWriter;
import io.fleetkit.ota.bundle.BundleManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the root tree as a compressed cpio {@code newc} initramfs: entries in path order,
 * every timestamp {@code SOURCE_DATE_EPOCH}, owners from the tree. gzip by default; the gzip
 * header carries no time or name, so the bytes depend only on the tree.
 * <p>
 * One archive per {@link InitramfsLayer}, each compressed on its own (with the directories above
 * its entries, so it unpacks alone) and zero-padded to a multiple of {@link #ALIGNMENT}: the
 * kernel unpacks concatenated archives and skips zeros between them
 * (Documentation/driver-api/early-userspace/buffer-format.rst), and as the slot places the file on
 * such a boundary, a layer that did not change lies in the same chunks as before, which a delta
 * update then need not send.
 */
final class WriteInitramfsStep implements BuildStep<InitramfsImage> {

    /** Where each layer's archive starts in the file: the bundle's chunk size, the unit a delta update sends. */
    static final int ALIGNMENT = BundleManifest.DEFAULT_CHUNK_SIZE;

    private final BuildInputs in;
    private final RootFilesystem root;

    WriteInitramfsStep(BuildInputs in, RootFilesystem root) {
        this.in = in;
        this.root = root;
    }

    @Override
    public String name() {
        return "initramfs";
    }

    @Override
    public InitramfsImage run() throws IOException {
        List<CompressedBytesCache.Uncompressed> archives = new ArrayList<>();
        long uncompressed = 0;
        for (TreeMap<String, RootEntry> layer : layers(root.tree().entries()).values()) {
            archives.add(new LayerArchive(layer, in.epoch().getEpochSecond()));
            uncompressed += archives.get(archives.size() - 1).bytes().length;
        }
        // an unchanged layer comes from the build cache; only the others are compressed
        List<byte[]> compressed = new CompressedBytesCache(in.cache(), in.events())
                .compressedAll(in.request().compression(), archives);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(compressed.stream().mapToInt(c -> c.length + ALIGNMENT).sum());
        for (byte[] c : compressed) {
            bytes.write(new byte[(int) ((ALIGNMENT - bytes.size() % ALIGNMENT) % ALIGNMENT)]);
            bytes.write(c);
        }
        return new InitramfsImage(bytes.toByteArray(), uncompressed, in.request().compression());
    }

    /** One layer as a cpio archive: written once into memory for its digest, again into the compressor on a cache miss. */
    private record LayerArchive(TreeMap<String, RootEntry> layer, long mtime, byte[] bytes)
            implements CompressedBytesCache.Uncompressed {

        LayerArchive(TreeMap<String, RootEntry> layer, long mtime) throws IOException {
            this(layer, mtime, inMemory(layer, mtime));
        }

        private static byte[] inMemory(TreeMap<String, RootEntry> layer, long mtime) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            write(layer, mtime, out);
            return out.toByteArray();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            write(layer, mtime, out);
        }

        private static void write(TreeMap<String, RootEntry> layer, long mtime, OutputStream out) throws IOException {
            CpioNewcWriter cpio = new CpioNewcWriter(out, mtime);
            for (Map.Entry<String, RootEntry> e : layer.entrySet()) {
                WriteInitramfsStep.write(cpio, e.getKey(), e.getValue());
            }
            cpio.finish();
        }
    }

    /** The entries of each layer that has any, with the directories above them, in path order. */
    static Map<InitramfsLayer, TreeMap<String, RootEntry>> layers(Map<String, RootEntry> entries) {
        Map<InitramfsLayer, TreeMap<String, RootEntry>> layers = new EnumMap<>(InitramfsLayer.class);
        for (Map.Entry<String, RootEntry> e : entries.entrySet()) {
            if (e.getValue() instanceof RootEntry.Directory) {
                continue; // a directory goes with what it holds (below), or with the image's own files if it holds nothing
            }
            TreeMap<String, RootEntry> layer = layers.computeIfAbsent(InitramfsLayer.of(e.getKey()), k -> new TreeMap<>());
            layer.put(e.getKey(), e.getValue());
            for (int slash = e.getKey().lastIndexOf('/'); slash > 0; slash = e.getKey().lastIndexOf('/', slash - 1)) {
                String parent = e.getKey().substring(0, slash);
                layer.put(parent, entries.get(parent));
            }
        }
        for (Map.Entry<String, RootEntry> e : entries.entrySet()) {
            if (e.getValue() instanceof RootEntry.Directory && layers.values().stream().noneMatch(l -> l.containsKey(e.getKey()))) {
                layers.computeIfAbsent(InitramfsLayer.IMAGE, k -> new TreeMap<>()).put(e.getKey(), e.getValue());
            }
        }
        return layers;
    }

    private static void write(CpioNewcWriter cpio, String path, RootEntry entry) throws IOException {
        if (entry instanceof RootEntry.Directory d) {
            cpio.directory(path, d.mode(), d.uid(), d.gid());
        } else if (entry instanceof RootEntry.File f) {
            cpio.file(path, f.mode(), f.uid(), f.gid(), f.content());
        } else if (entry instanceof RootEntry.Symlink s) {
            cpio.symlink(path, s.target(), s.uid(), s.gid());
        } else if (entry instanceof RootEntry.CharDevice d) {
            cpio.charDevice(path, d.mode(), d.uid(), d.gid(), d.major(), d.minor());
        }
    }
}
