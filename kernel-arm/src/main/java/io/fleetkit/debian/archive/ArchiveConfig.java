package io.fleetkit.debian.archive;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One suite of one mirror to open, e.g. {@code http://deb.debian.org/debian/ bookworm [main] [arm64]}.
 * Several configs open several suites (bookworm + bookworm-updates, and the security archive at
 * its own URI). Packages for architecture {@code all} come with each per-architecture index.
 */
public record ArchiveConfig(URI mirror, String suite, List<String> components, List<String> architectures,
                            Path keyring, boolean offline, Clock clock) {

    public static final URI DEBIAN = URI.create("http://deb.debian.org/debian/");

    public ArchiveConfig {
        String m = mirror.toString();
        mirror = m.endsWith("/") ? mirror : URI.create(m + "/");
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
        if (suite.isBlank() || suite.contains("/") || suite.contains("..")) {
            throw new IllegalArgumentException("bad suite name: " + suite);
        }
        if (components.isEmpty() || architectures.isEmpty()) {
            throw new IllegalArgumentException("need at least one component and one architecture");
        }
    }

    /** deb.debian.org, the Debian archive keyring, online, system clock. */
    public static ArchiveConfig debian(String suite, List<String> components, List<String> architectures) {
        return new ArchiveConfig(DEBIAN, suite, components, architectures, OpenPgpKeyring.DEBIAN_ARCHIVE_KEYRING,
                false, Clock.systemUTC());
    }

    public ArchiveConfig withOffline(boolean offline) {
        return new ArchiveConfig(mirror, suite, components, architectures, keyring, offline, clock);
    }

    public ArchiveConfig withClock(Clock clock) {
        return new ArchiveConfig(mirror, suite, components, architectures, keyring, offline, clock);
    }

    public ArchiveConfig withKeyring(Path keyring) {
        return new ArchiveConfig(mirror, suite, components, architectures, keyring, offline, clock);
    }

    /** {@code <mirror>dists/<suite>/} */
    public URI distsUri() {
        return mirror.resolve("dists/" + suite + "/");
    }
}
