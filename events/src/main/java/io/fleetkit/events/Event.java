package io.fleetkit.events;

/**
 * Something library code reports while it works. Library code never prints: it hands events to
 * an {@link EventSink}, and only the CLI decides how they look (bar, plain line, JSON).
 */
public sealed interface Event permits Event.Progress, Event.Log, Event.PhaseStarted, Event.PhaseFinished {

    /** Which long-running piece of work an event belongs to, e.g. "fetch busybox-static_1.35.0-4_arm64.deb". */
    String task();

    /** Work done so far out of a total, in {@code unit}s; {@code total} is -1 when unknown. */
    record Progress(String task, long done, long total, Unit unit) implements Event {}

    /** A line of detail; the CLI shows {@link Level#DEBUG} only with {@code -v}. */
    record Log(String task, Level level, String message) implements Event {}

    /** A named phase of work begins (e.g. "resolve", "write", "verify"). */
    record PhaseStarted(String task, String phase) implements Event {}

    /** A named phase of work ended after {@code nanos}. */
    record PhaseFinished(String task, String phase, long nanos) implements Event {}

    enum Unit { BYTES, ITEMS }

    enum Level { DEBUG, INFO, WARN }
}
