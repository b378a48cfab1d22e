package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

    private final List<Event> events = new ArrayList<>();
    private final StepRunner runner = new StepRunner(events::add);

    private static BuildStep<String> step(String name, String result) {
        return new BuildStep<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String run() {
                return result;
            }
        };
    }

    @Test
    void returnsEachStepsResultBetweenItsPhaseEventsAndTimesIt() throws IOException {
        assertEquals("tree", runner.run(step("rootfs", "tree")));
        assertEquals("image", runner.run(step("slot", "image")));

        assertEquals(List.of(new Event.PhaseStarted("build", "rootfs"), "rootfs", new Event.PhaseStarted("build", "slot"), "slot"),
                events.stream().map(e -> e instanceof Event.PhaseFinished f ? (Object) f.phase() : e).toList());
        assertEquals(List.of("rootfs", "slot"), List.copyOf(runner.stepMillis().keySet()));
    }

    @Test
    void aStepTheOutputsDoNotNeedIsNeitherConstructedNorRun() throws IOException {
        Optional<String> skipped = runner.runIf(false, () -> {
            throw new AssertionError("constructed");
        });

        assertFalse(skipped.isPresent());
        assertTrue(events.isEmpty());
        assertEquals(Optional.of("tree"), runner.runIf(true, () -> step("rootfs", "tree")));
    }

    @Test
    void aFailingStepFailsTheBuildWithoutATiming() {
        BuildStep<String> failing = new BuildStep<>() {
            @Override
            public String name() {
                return "disk";
            }

            @Override
            public String run() throws IOException {
                throw new IOException("disk full");
            }
        };

        assertThrows(IOException.class, () -> runner.run(failing));
        assertTrue(runner.stepMillis().isEmpty());
    }
}
