package io.fleetkit.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where userland packages come from.
 *
 * @param suite default {@code bookworm}
 * @param components default {@code [main]}
 * @param mirror default {@code http://deb.debian.org/debian}
 * @param keyring a keyring file to verify {@code InRelease} with; empty = the built-in Debian keys
 * @param security also use the security archive; default false so a build resolves against
 *                 exactly the named suite unless the user opts in
 * @param exclude package names never installed, even as dependencies
 * @param lock the lock file pinning resolved versions (need not exist yet: the builder writes it)
 */
public record DebianSpec(
        String suite,
        List<String> components,
        URI mirror,
        Optional<Path> keyring,
        boolean security,
        List<String> exclude,
        Optional<Path> lock) {

    public static final String DEFAULT_SUITE = "bookworm";
    public static final URI DEFAULT_MIRROR = URI.create("http://deb.debian.org/debian");

    public DebianSpec {
        Objects.requireNonNull(suite);
        components = List.copyOf(components);
        Objects.requireNonNull(mirror);
        Objects.requireNonNull(keyring);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(lock);
    }
}
