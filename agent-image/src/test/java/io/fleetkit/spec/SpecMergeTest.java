package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SpecMergeTest {

    private static final Path MERGE = Path.of("src/test/resources/specs/merge");

    @Test
    void laterFileOverridesScalarsMergesMapsAndAppendsLists() throws Exception {
        ImageSpec spec = SpecLoader.load(List.of(MERGE.resolve("base.yml"), MERGE.resolve("overlay/prod.yml")));

        assertEquals("1.1.0", spec.version());
        assertEquals("gateway", spec.name());
        assertEquals("bookworm", spec.debian().suite());
        assertEquals(true, spec.debian().security());
        assertEquals(List.of(new PackageSpec("busybox-static", Optional.empty()), new PackageSpec("crun", Optional.empty())),
                spec.packages());
        assertEquals(List.of("heartbeat", "web"), spec.services().stream().map(ServiceSpec::name).toList());
        assertEquals(Map.of("TZ", "UTC", "LEVEL", "info"), spec.services().get(0).env());
        assertEquals(new LayoutSpec(OptionalLong.of(128L << 20), OptionalLong.of(64L << 20), OptionalLong.empty()),
                spec.layout());
        // each source path is relative to the file that wrote it
        Path dir = MERGE.toAbsolutePath();
        assertEquals(List.of(Optional.of(dir.resolve("motd.txt")), Optional.of(dir.resolve("overlay/banner.txt"))),
                spec.files().stream().map(FileSpec::source).toList());
    }

    @Test
    void pointsErrorsIntoTheFileTheValueCameFrom() {
        Path base = MERGE.resolve("base.yml");
        Path broken = MERGE.resolve("overlay/broken.yml");
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(List.of(base, broken)));

        assertEquals("invalid image spec (5 problems):\n"
                + broken + ":1:10: version: '1.1' is not a version like 1.0.0 or 2.1.0-rc1\n"
                + broken + ":3:11: services[1].name: duplicate name 'heartbeat' (first at " + base + ":11:11)\n"
                + broken + ":5:14: services[1].restart: 'sometimes' is not one of always, on-failure, never\n"
                + broken + ":7:13: files[1].path: '/etc/motd' is listed twice (first at " + base + ":9:13)\n"
                + broken + ":7:32: files[1].source: './motd.txt' does not exist (looked for "
                + MERGE.toAbsolutePath().resolve("overlay/motd.txt") + ")",
                e.getMessage());
    }
}
