package io.fleetkit.build;

import io.fleetkit.board.Architecture;
import java.util.List;
import java.util.Map;

/**
 * The OCI platform ({@code os/architecture/variant}, as image indexes and image configs name it)
 * that a board runs: linux/arm64 on arm64 boards; linux/arm/v7 on armhf boards, which also run
 * v6 and unnamed-variant arm images. A platform that says nothing about a field matches it.
 */
record OciPlatform(String architecture, List<String> variants) {

    static OciPlatform of(Architecture a) {
        return switch (a) {
            case ARM64 -> new OciPlatform("arm64", List.of("v8"));
            case ARMHF -> new OciPlatform("arm", List.of("v7", "v6", "v5"));
        };
    }

    /** @param platform an index entry's {@code platform} or an image config (keys os, architecture, variant) */
    boolean matches(Map<?, ?> platform) {
        Object os = platform.get("os");
        Object arch = platform.get("architecture");
        Object variant = platform.get("variant");
        return (os == null || "linux".equals(os)) && (arch == null || architecture.equals(arch))
                && (variant == null || variants.contains(variant));
    }

    /** Whether the entry says anything about its platform at all. */
    static boolean named(Map<?, ?> platform) {
        return platform.get("architecture") != null;
    }

    /** {@code linux/arm/v7}, as users of docker and skopeo know platforms. */
    static String describe(Map<?, ?> platform) {
        Object os = platform.get("os");
        StringBuilder s = new StringBuilder(os == null ? "linux" : String.valueOf(os));
        s.append('/').append(platform.get("architecture"));
        if (platform.get("variant") != null) {
            s.append('/').append(platform.get("variant"));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "linux/" + architecture + (architecture.equals("arm") ? "/" + variants.get(0) : "");
    }
}
