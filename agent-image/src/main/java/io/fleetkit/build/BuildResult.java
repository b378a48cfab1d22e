package io.fleetkit.build;

import java.nio.file.Path;
import java.util.Map;

/** What a build produced: where the outputs are, the report (as written to {@code .json}), step timings. */
public record BuildResult(BuildOutputs outputs, BuildReport report, Map<String, Long> stepMillis) {

    public Path path(OutputFormat f) {
        return outputs.path(f);
    }
}
