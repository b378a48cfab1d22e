package io.fleetkit.devicetests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.FleetkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A lock written for an earlier spec that lacks what the image now needs is refused, not built into a broken image. */
class StaleLockTest {

    @Test
    void refusesALockThatLacksThePackagesTheSpecNeeds() throws Exception {
        Path spec = TestBuilds.specResource("sandbox-arm64.yml");   // has an update section: the agent needs zlib1g
        Path first = TestBuilds.build("sandbox-arm64", spec).path(io.fleetkit.build.OutputFormat.LOCK);
        Path stale = TestBuilds.ROOT.resolve("stale.lock");
        Files.writeString(stale, Files.readAllLines(first).stream().filter(l -> !l.startsWith("zlib1g "))
                .collect(Collectors.joining("\n", "", "\n")));
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> TestBuilds.buildInto(spec, TestBuilds.ROOT.resolve("stale-out"), stale, java.util.Set.of()));
        assertEquals("build.lock-incomplete", e.code());
        assertTrue(e.getMessage().contains("zlib1g"), e.getMessage());
        assertTrue(e.fix().contains("delete " + stale), e.fix());
    }
}
