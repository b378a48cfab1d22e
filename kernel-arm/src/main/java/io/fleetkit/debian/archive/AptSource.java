package io.fleetkit.debian.archive;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One {@code deb} entry of the host's apt configuration. {@code signedBy} is a keyring path or
 * fingerprint list as written (deb822 also allows an inline key block); {@code architectures}
 * is empty when the entry does not restrict them.
 */
public record AptSource(URI uri, List<String> suites, List<String> components, Optional<String> signedBy,
                        List<String> architectures, Path file) {

    public AptSource {
        suites = List.copyOf(suites);
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
    }

    /** The keyring file named by Signed-By, when it is an absolute path (not fingerprints or an inline key). */
    public Optional<Path> signedByKeyring() {
        return signedBy.filter(s -> s.startsWith("/") && !s.contains("\n")).map(Path::of);
    }
}
