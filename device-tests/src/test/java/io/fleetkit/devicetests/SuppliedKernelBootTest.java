package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.board.BoardProfiles;
import io.fleetkit.build.BuildReport;
import io.fleetkit.build.BuildResult;
import io.fleetkit.build.OutputFormat;
import io.fleetkit.debian.archive.ContentCache;
import io.fleetkit.events.EventSink;
import io.fleetkit.formats.fat.FatImageReader;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.BoardKernelLoader;
import io.fleetkit.packages.PackageSources;
import io.fleetkit.packages.PackageUniverse;
import io.fleetkit.packages.UnpackedDebs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** A kernel the user brings (image + modules tree) instead of a Debian package builds and boots. */
class SuppliedKernelBootTest {

    @Test
    void imageBuiltWithASuppliedKernelCarriesItAndBootsToTheReadyLine() throws Exception {
        ContentCache cache = ContentCache.fromEnvironment();
        PackageUniverse universe = PackageUniverse.open(PackageSources.fromHost().withSuites(List.of("bookworm")), "arm64",
                cache, EventSink.NONE);
        BoardKernel debian = new BoardKernelLoader(universe, new UnpackedDebs(cache.root()), EventSink.NONE)
                .load(BoardProfiles.get("qemu-arm64"), null, null, List.of(), List.of());
        Path dir = TestBuilds.ROOT.resolve("supplied-kernel");
        Files.createDirectories(dir);
        Path spec = dir.resolve("supplied.yml");
        Files.writeString(spec, "name: supplied\nversion: 1.0.0\nboard: qemu-arm64\n"
                + "kernel:\n  image: " + debian.tree().image() + "\n  modules_dir: " + debian.tree().modulesDir() + "\n"
                + "services:\n  - name: idle\n    command: [\"/bin/sh\", \"-c\", \"sleep 100000\"]\n");
        BuildResult built = TestBuilds.build("supplied-kernel", spec);
        BuildReport.Kernel kernel = built.report().kernel();
        assertEquals("(supplied by the spec)", kernel.packageName());
        assertEquals(debian.tree().version(), kernel.release());
        try (FatImageReader slot = new FatImageReader(built.path(OutputFormat.SLOT))) {
            byte[] gz = slot.read("vmlinuz");
            assertArrayEquals(Files.readAllBytes(debian.tree().image()),
                    new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), "the slot carries the supplied kernel");
        }
        try (Emulator vm = Emulator.boot("qemu-arm64", built.path(OutputFormat.IMG), false, "supplied-kernel")) {
            vm.expect("^fleetkit: ready supplied 1\\.0\\.0 slot=A$", Duration.ofSeconds(240));
        }
    }
}
