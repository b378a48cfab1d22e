package io.fleetkit.build;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to build and how.
 *
 * @param specFiles      spec files, merged in order
 * @param outputDir      where outputs go ({@code out/} by default)
 * @param formats        outputs wanted; empty means the default set ({@link OutputFormat#DEFAULTS})
 * @param lockFile       use exactly these packages (overrides the spec's {@code debian.lock}); null for none
 * @param mirror         Debian mirror overriding the spec's; null to keep it
 * @param offline        use only the download cache
 * @param cacheRoot      download cache root
 * @param compression    initramfs compression: gzip, zstd or xz
 * @param environment    environment variables consulted (SOURCE_DATE_EPOCH); the process's by default
 */
public record BuildRequest(List<Path> specFiles, Path outputDir, Set<OutputFormat> formats, Path lockFile, URI mirror,
                           boolean offline, Path cacheRoot, String compression, Map<String, String> environment) {

    public BuildRequest {
        specFiles = List.copyOf(specFiles);
        formats = formats.isEmpty() ? OutputFormat.DEFAULTS : Set.copyOf(formats);
        environment = Map.copyOf(environment);
    }

    public boolean wants(OutputFormat f) {
        return formats.contains(f);
    }
}
