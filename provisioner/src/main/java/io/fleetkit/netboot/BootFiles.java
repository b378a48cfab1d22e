package io.fleetkit.netboot;

import io.fleetkit.events.EventSink;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a requested name to the file a client gets, the same way for TFTP and HTTP:
 * <ul>
 * <li>{@code images/NAME/FILE}: FILE of image NAME, whoever asks;</li>
 * <li>{@code SERIAL/FILE} or {@code aa-bb-cc-dd-ee-ff/FILE} (the Pi firmware's TFTP prefixes):
 *     the client is known by that serial/MAC; FILE comes from its assigned image, from the folder
 *     of that name if the tree has one, else from the tree's top as the firmware would fall back;</li>
 * <li>anything else: from the image assigned to the asking address (learned from DHCP), else the default.</li>
 * </ul>
 * {@code pxelinux.cfg/*}, {@code boot.ipxe}, and for Pi images {@code boot.img}/{@code boot.sig}
 * are made on demand unless the tree has real files of those names.
 */
public final class BootFiles {

    private final ImageCatalog catalog;
    private final ClientRegistry clients;
    private final String httpBase;
    private final Path cacheDir;
    private final EventSink sink;
    private final Map<String, PiHttpBootImage.Built> piImages = new ConcurrentHashMap<>();

    /** @param httpBase e.g. {@code http://10.0.0.1:8080/}; @param cacheDir where boot.img files are written */
    public BootFiles(ImageCatalog catalog, ClientRegistry clients, String httpBase, Path cacheDir, EventSink sink) {
        this.catalog = catalog;
        this.clients = clients;
        this.httpBase = httpBase.endsWith("/") ? httpBase : httpBase + "/";
        this.cacheDir = cacheDir;
        this.sink = sink;
    }

    public ImageCatalog catalog() {
        return catalog;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public Optional<ServedFile> resolve(String requested, InetAddress client) throws IOException {
        Optional<String> safe = ServedTree.safeRelative(requested);
        if (safe.isEmpty()) {
            return Optional.empty();
        }
        String rel = safe.get();
        int slash = rel.indexOf('/');
        String first = slash < 0 ? rel : rel.substring(0, slash);
        String rest = slash < 0 ? "" : rel.substring(slash + 1);
        if (first.equals("images") && rest.contains("/")) {
            String name = rest.substring(0, rest.indexOf('/'));
            Optional<NetbootImage> image = catalog.byName(name);
            return image.isEmpty() ? Optional.empty() : file(image.get(), rest.substring(name.length() + 1), rel, "");
        }
        if (!rest.isEmpty()) {
            Optional<String> serial = first.length() == 8 ? ClientIdentity.normalizeSerial(first) : Optional.empty();
            Optional<String> mac = first.length() == 17 ? ClientIdentity.normalizeMac(first) : Optional.empty();
            if (serial.isPresent() || mac.isPresent()) {
                ClientIdentity known = clients.lookup(client);
                ClientIdentity id = new ClientIdentity(mac.orElse(known.mac()), serial.orElse(known.piSerial()));
                clients.learn(client, id);
                NetbootImage image = catalog.forClient(id);
                boolean ownFolder = new ServedTree(image.root()).isDirectory(first);
                return file(image, ownFolder ? rel : rest, rel, "images/" + image.name() + "/");
            }
        }
        NetbootImage image = catalog.forClient(clients.lookup(client));
        return file(image, rel, rel, "images/" + image.name() + "/");
    }

    private Optional<ServedFile> file(NetbootImage image, String inTree, String requested, String prefix)
            throws IOException {
        String imageUrl = httpBase + "images/" + image.name() + "/";
        if (inTree.equals("cmdline.txt") && !image.install().isEmpty()) {
            // The Pi firmware reads the command line from the tree: it must say where the install comes from.
            return Optional.of(ServedFile.of(requested, (image.bootCmdline(imageUrl) + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        Optional<Path> real = new ServedTree(image.root()).resolve(inTree);
        if (real.isPresent()) {
            return Optional.of(ServedFile.of(requested, real.get()));
        }
        if (inTree.startsWith("pxelinux.cfg/")) {
            return Optional.of(ServedFile.of(requested, BootScripts.pxelinux(image, prefix, imageUrl)));
        }
        if (inTree.equals("boot.scr.uimg") && !image.raspberryPi()) {
            return Optional.of(ServedFile.of(requested, BootScripts.ubootScript(image, prefix, imageUrl)));
        }
        if (inTree.equals("boot.ipxe")) {
            return Optional.of(ServedFile.of(requested,
                    BootScripts.ipxe(image, imageUrl)));
        }
        if (image.raspberryPi() && (inTree.equals("boot.img") || inTree.equals("boot.sig"))) {
            PiHttpBootImage.Built built = piBoot(image, imageUrl);
            return Optional.of(inTree.equals("boot.img") ? ServedFile.of(requested, built.image())
                    : ServedFile.of(requested, built.signature()));
        }
        return Optional.empty();
    }

    private PiHttpBootImage.Built piBoot(NetbootImage image, String imageUrl) throws IOException {
        PiHttpBootImage.Built built = piImages.get(image.name());
        if (built != null) {
            return built;
        }
        synchronized (piImages) {
            built = piImages.get(image.name());
            if (built == null) {
                sink.info("netboot", "making boot.img for " + image.name() + " (Pi HTTP boot)");
                built = PiHttpBootImage.build(image, imageUrl, cacheDir, sink);
                piImages.put(image.name(), built);
            }
            return built;
        }
    }
}
