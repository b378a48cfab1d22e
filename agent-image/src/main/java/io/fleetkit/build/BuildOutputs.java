package io.fleetkit.build;

import java.nio.file.Path;

/** Where each output of one build goes: {@code <dir>/<name>-<version>.<suffix>}. */
public record BuildOutputs(Path dir, String baseName) {

    public Path path(OutputFormat format) {
        return dir.resolve(baseName + "." + format.suffix());
    }
}
