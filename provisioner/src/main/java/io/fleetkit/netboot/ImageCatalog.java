package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images being served, by name, and the rule that picks one per client: its assignment,
 * else the first image given.
 */
public final class ImageCatalog {

    private final Map<String, NetbootImage> byName = new LinkedHashMap<>();
    private final Assignments assignments;

    public ImageCatalog(List<NetbootImage> images, Assignments assignments) {
        if (images.isEmpty()) {
            throw new FleetkitException("netboot.no-image", "no image to serve",
                    "pass --image out/<name>-<version>.netboot");
        }
        for (NetbootImage image : images) {
            if (byName.putIfAbsent(image.name(), image) != null) {
                throw new FleetkitException("netboot.duplicate-image", "two images are called '" + image.name() + "'",
                        "serve one version of each image");
            }
        }
        this.assignments = assignments;
    }

    /** Fails when an assignment names an image that is not served. */
    public void checkNames(List<String> names) {
        for (String n : names) {
            if (!byName.containsKey(n)) {
                throw new FleetkitException("netboot.unknown-image", "an assignment names image '" + n
                        + "', which is not served", "serve it with --image, or use one of: " + String.join(", ", byName.keySet()));
            }
        }
    }

    public List<NetbootImage> images() {
        return List.copyOf(byName.values());
    }

    public Optional<NetbootImage> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public NetbootImage defaultImage() {
        return byName.values().iterator().next();
    }

    public NetbootImage forClient(ClientIdentity client) {
        return assignments.imageFor(client).map(byName::get).orElseGet(this::defaultImage);
    }
}
