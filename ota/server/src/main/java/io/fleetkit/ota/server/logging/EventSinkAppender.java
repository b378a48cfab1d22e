package io.fleetkit.ota.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.fleetkit.events.EventSink;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Sends the log lines of the libraries the server embeds (the HiveMQ broker, the H2 database, through
 * SLF4J and logback; {@code logback.xml} names this appender) to the running servers' event sinks, so they
 * appear in the server's own output: warnings and errors as warnings, the rest as debug lines ({@code -v}).
 */
public final class EventSinkAppender extends AppenderBase<ILoggingEvent> {

    private static final Set<EventSink> SINKS = new CopyOnWriteArraySet<>();

    /** Sends library log lines to {@code sink} until the returned handle is closed. */
    public static AutoCloseable attach(EventSink sink) {
        SINKS.add(sink);
        return () -> SINKS.remove(sink);
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (SINKS.isEmpty()) {
            return;
        }
        String task = e.getLoggerName().startsWith("com.hivemq") ? "mqtt" : e.getLoggerName().startsWith("h2database") ? "db" : "server";
        String text = e.getFormattedMessage() + (e.getThrowableProxy() != null ? " (" + e.getThrowableProxy().getClassName() + ": "
                + e.getThrowableProxy().getMessage() + ")" : "");
        for (EventSink sink : SINKS) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                sink.warn(task, text);
            } else {
                sink.debug(task, text);
            }
        }
    }
}
