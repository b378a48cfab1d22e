package io.fleetkit.build;

import io.fleetkit.events.UsageException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The outputs a build can write, named by their file suffix after {@code <name>-<version>}. */
public enum OutputFormat {
    IMG("img"), BMAP("img.bmap"), SLOT("slot"), NETBOOT("netboot"), LOCK("lock"), REPORT("json"), BUNDLE("bundle"),
    IMG_XZ("img.xz"), IMG_ZST("img.zst");

    /** Written unless {@code --format} says otherwise; compressed images only on request. */
    public static final Set<OutputFormat> DEFAULTS =
            Set.copyOf(EnumSet.of(IMG, BMAP, SLOT, NETBOOT, LOCK, REPORT, BUNDLE));

    private final String suffix;

    OutputFormat(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public static OutputFormat parse(String s) {
        for (OutputFormat f : values()) {
            if (f.suffix.equals(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new UsageException("build.unknown-format", "unknown output format '" + s + "'",
                "use one of: " + Arrays.stream(values()).map(OutputFormat::suffix).collect(Collectors.joining(", ")));
    }
}
