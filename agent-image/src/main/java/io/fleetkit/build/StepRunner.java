package io.fleetkit.build;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Runs build steps one at a time: a phase event before and after each, and its time in milliseconds. */
final class StepRunner {

    private final EventSink events;
    private final Map<String, Long> stepMillis = new LinkedHashMap<>();

    StepRunner(EventSink events) {
        this.events = events;
    }

    <T> T run(BuildStep<T> step) throws IOException {
        long start = System.nanoTime();
        events.accept(new Event.PhaseStarted("build", step.name()));
        T result = step.run();
        long nanos = System.nanoTime() - start;
        stepMillis.put(step.name(), nanos / 1_000_000);
        events.accept(new Event.PhaseFinished("build", step.name(), nanos));
        return result;
    }

    /** Runs the step only when the outputs asked for need it; it is not even constructed otherwise. */
    <T> Optional<T> runIf(boolean needed, Supplier<BuildStep<T>> step) throws IOException {
        return needed ? Optional.of(run(step.get())) : Optional.empty();
    }

    /** Each step that ran, in order, with its time in milliseconds. */
    Map<String, Long> stepMillis() {
        return stepMillis;
    }
}
