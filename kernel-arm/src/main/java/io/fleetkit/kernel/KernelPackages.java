package io.fleetkit.kernel;

import java.util.Optional;

/** Debian kernel package naming: {@code linux-image-<flavour>} is a metapackage that depends on the real one. */
public final class KernelPackages {

    private KernelPackages() {
    }

    public static String metapackage(String flavour) {
        return "linux-image-" + flavour;
    }

    /**
     * The real image package named in a metapackage's {@code Depends} value, e.g.
     * {@code linux-image-6.1.0-50-cloud-arm64 (= 6.1.176-1)} → {@code linux-image-6.1.0-50-cloud-arm64}.
     * Takes the first {@code linux-image-*} alternative; empty when there is none.
     */
    public static Optional<String> realImagePackage(String depends) {
        for (String clause : depends.split(",")) {
            for (String alternative : clause.split("\\|")) {
                String name = alternative.strip().split("[\\s(:]", 2)[0];
                if (name.startsWith("linux-image-")) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }
}
