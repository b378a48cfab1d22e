package io.fleetkit.packages;

import io.fleetkit.debian.archive.AptSources;
import io.fleetkit.debian.archive.ArchiveConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where packages come from: one mirror with one or more suites and components, optionally the
 * security archive, all checked against one keyring. Defaults come from the host's apt sources,
 * so a machine that already reaches a Debian mirror (or a local proxy) builds from the same one.
 */
public record PackageSources(URI mirror, List<String> suites, List<String> components, Optional<URI> securityMirror,
                             Path keyring, boolean offline, Clock clock) {

    public static final Path DEFAULT_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    public static final URI DEFAULT_SECURITY_MIRROR = URI.create("http://deb.debian.org/debian-security/");

    public PackageSources {
        suites = List.copyOf(suites);
        components = List.copyOf(components);
    }

    /** The host's Debian mirror and release, component {@code main}, the Debian archive keyring, online. */
    public static PackageSources fromHost() throws IOException {
        AptSources.MirrorChoice choice = AptSources.defaultDebianMirror(AptSources.read(Path.of("/")));
        return new PackageSources(choice.uri(), List.of(choice.suite()), List.of("main"), Optional.empty(),
                choice.keyring().orElse(DEFAULT_KEYRING), false, Clock.systemUTC());
    }

    public PackageSources withMirror(URI mirror) {
        return new PackageSources(mirror, suites, components, securityMirror, keyring, offline, clock);
    }

    public PackageSources withSuites(List<String> suites) {
        return new PackageSources(mirror, suites, components, securityMirror, keyring, offline, clock);
    }

    public PackageSources withComponents(List<String> components) {
        return new PackageSources(mirror, suites, components, securityMirror, keyring, offline, clock);
    }

    public PackageSources withSecurity(boolean on) {
        return new PackageSources(mirror, suites, components, on ? Optional.of(DEFAULT_SECURITY_MIRROR) : Optional.empty(),
                keyring, offline, clock);
    }

    public PackageSources withKeyring(Path keyring) {
        return new PackageSources(mirror, suites, components, securityMirror, keyring, offline, clock);
    }

    public PackageSources withOffline(boolean offline) {
        return new PackageSources(mirror, suites, components, securityMirror, keyring, offline, clock);
    }

    /** One archive config per suite (and {@code <suite>-security} per suite on the security mirror). */
    List<ArchiveConfig> archiveConfigs(String architecture) {
        List<ArchiveConfig> out = new ArrayList<>();
        List<String> arches = List.of(architecture);
        for (String suite : suites) {
            out.add(new ArchiveConfig(mirror, suite, components, arches, keyring, offline, clock));
        }
        securityMirror.ifPresent(sec -> {
            for (String suite : suites) {
                if (!suite.contains("-")) {
                    out.add(new ArchiveConfig(sec, suite + "-security", components, arches, keyring, offline, clock));
                }
            }
        });
        return out;
    }
}
