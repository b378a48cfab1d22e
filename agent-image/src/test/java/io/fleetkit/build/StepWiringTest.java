package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.events.EventSink;
import io.fleetkit.spec.ImageSpec;
import io.fleetkit.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step missing an input it needs fails when it is constructed, before any step runs. */
class StepWiringTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "qemu-arm64.yml");

    @TempDir
    Path dir;

    private BuildInputs inputs(Path specFile, Set<OutputFormat> formats) throws IOException {
        ImageSpec spec = SpecLoader.load(List.of(specFile));
        BuildRequest request = new BuildRequest(List.of(specFile), dir, formats, null, null, true, dir, "gzip", Map.of());
        return new BuildInputs(request, EventSink.NONE, spec, BoardProfiles.get(spec.board()), null, null, null, null, null);
    }

    @Test
    void aNetbootTreeThatInstallsTheImageNeedsTheDiskImage() throws IOException {
        BuildInputs in = inputs(EXAMPLE, Set.of(OutputFormat.NETBOOT));

        assertTrue(WriteNetbootStep.installs(in) && WriteDiskStep.needed(in), "the example installs from netboot");
        assertThrows(IllegalArgumentException.class, () -> new WriteNetbootStep(in, null, null, null, Optional.empty()));
    }

    @Test
    void theAgentAndTheBundleNeedAnUpdateSection() throws IOException {
        Path spec = dir.resolve("plain.yml");
        Files.writeString(spec, "name: plain\nversion: 1.0.0\nboard: qemu-arm64\n");
        BuildInputs in = inputs(spec, Set.of());

        assertTrue(!AgentServiceStep.needed(in) && !WriteBundleStep.needed(in));
        assertThrows(IllegalArgumentException.class, () -> new AgentServiceStep(in, null, new RootTree()));
        assertThrows(IllegalArgumentException.class, () -> new WriteBundleStep(in, null));
    }
}
