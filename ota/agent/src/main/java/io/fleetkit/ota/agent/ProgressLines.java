package io.fleetkit.ota.agent;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;

/** Turns progress events into a log line per tenth of the work, for a console with no live view. */
final class ProgressLines implements EventSink {

    private final EventSink log;
    private long lastTenth = -1;

    ProgressLines(EventSink log) {
        this.log = log;
    }

    @Override
    public void accept(Event event) {
        if (event instanceof Event.Progress p && p.total() > 0) {
            long tenth = p.done() * 10 / p.total();
            if (tenth != lastTenth) {
                lastTenth = tenth;
                log.info(p.task(), (tenth * 10) + "% of " + (p.total() >> 20) + " MiB");
            }
        } else {
            log.accept(event);
        }
    }
}
