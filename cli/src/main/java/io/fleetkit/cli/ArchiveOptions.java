package io.fleetkit.cli;

import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.packages.PackageSources;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where Debian packages come from and where they are cached; shared by every command that fetches. */
public final class ArchiveOptions {

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Debian mirror (default: the Debian mirror in this host's apt sources, else deb.debian.org).")
    URI mirror;

    @Option(names = "--suite", paramLabel = "SUITE",
            description = "Suite to read; repeat for more, e.g. --suite bookworm --suite bookworm-updates (default: the host's release).")
    List<String> suites;

    @Option(names = "--component", paramLabel = "NAME", split = ",",
            description = "Archive components (default: main). Raspberry Pi firmware needs non-free-firmware.")
    List<String> components;

    @Option(names = "--security", description = "Also read <suite>-security from the Debian security archive.")
    boolean security;

    @Option(names = "--keyring", paramLabel = "FILE",
            description = "OpenPGP keyring that must have signed the archive's InRelease (default: ${DEFAULT-VALUE}).",
            defaultValue = "/usr/share/keyrings/debian-archive-keyring.gpg")
    Path keyring;

    @Option(names = "--offline", description = "Use only the cache; fail and list what is missing instead of downloading.")
    boolean offline;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Download cache (default: $FLEETKIT_CACHE, else $XDG_CACHE_HOME/fleetkit, else ~/.cache/fleetkit).")
    Path cache;

    PackageSources sources() throws IOException {
        PackageSources s = PackageSources.fromHost().withKeyring(keyring).withOffline(offline).withSecurity(security);
        if (mirror != null) {
            s = s.withMirror(mirror);
        }
        if (suites != null && !suites.isEmpty()) {
            s = s.withSuites(suites);
        }
        if (components != null && !components.isEmpty()) {
            s = s.withComponents(components);
        }
        return s;
    }

    ContentCache contentCache() {
        return cache != null ? new ContentCache(cache) : ContentCache.fromEnvironment();
    }
}
