package io.fleetkit.events;

/** Receives events from library code. Implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {

    /** A sink that drops everything, for callers that do not care. */
    EventSink NONE = event -> { };

    void accept(Event event);

    default void progress(String task, long done, long total, Event.Unit unit) {
        accept(new Event.Progress(task, done, total, unit));
    }

    default void info(String task, String message) {
        accept(new Event.Log(task, Event.Level.INFO, message));
    }

    default void debug(String task, String message) {
        accept(new Event.Log(task, Event.Level.DEBUG, message));
    }

    default void warn(String task, String message) {
        accept(new Event.Log(task, Event.Level.WARN, message));
    }
}
