package io.fleetkit.cli;

import io.fleetkit.events.Event;
import io.fleetkit.events.EventSink;
import io.fleetkit.json.JsonWriter;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders library events for a person or a script: a redrawn progress bar on a terminal,
 * throttled plain lines otherwise, JSON lines with {@code --json}. Debug lines only with -v.
 */
final class ConsoleRenderer implements EventSink {

    private static final long PLAIN_PROGRESS_INTERVAL_NANOS = 2_000_000_000L;
    private static final long BAR_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean json;
    private final boolean verbose;
    private final boolean terminal;
    private final Map<String, Long> lastDrawn = new LinkedHashMap<>();
    private final Map<String, Long> started = new LinkedHashMap<>();
    private boolean barShown;

    private ConsoleRenderer(PrintWriter err, boolean json, boolean verbose, boolean terminal) {
        this.err = err;
        this.json = json;
        this.verbose = verbose;
        this.terminal = terminal;
    }

    static ConsoleRenderer forTerminal(PrintWriter err, boolean json, boolean verbose) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new ConsoleRenderer(err, json, verbose, terminal);
    }

    static ConsoleRenderer plain(PrintWriter err, boolean verbose) {
        return new ConsoleRenderer(err, false, verbose, false);
    }

    @Override
    public synchronized void accept(Event event) {
        if (json) {
            err.println(JsonWriter.write(toMap(event)));
            err.flush();
            return;
        }
        if (event instanceof Event.Progress p) {
            progress(p);
        } else if (event instanceof Event.Log l) {
            if (l.level() != Event.Level.DEBUG || verbose) {
                line((l.level() == Event.Level.WARN ? "warning: " : "") + TerminalText.safe(l.message()));
            }
        } else if (event instanceof Event.PhaseStarted s) {
            if (verbose) {
                line(s.task() + ": " + s.phase() + "...");
            }
        } else if (event instanceof Event.PhaseFinished f) {
            line(String.format("%s: %s done in %.1f s", f.task(), f.phase(), f.nanos() / 1e9));
        }
    }

    private void progress(Event.Progress p) {
        long now = System.nanoTime();
        started.putIfAbsent(p.task(), now);
        boolean finished = p.total() >= 0 && p.done() >= p.total();
        Long last = lastDrawn.get(p.task());
        long interval = terminal ? BAR_INTERVAL_NANOS : PLAIN_PROGRESS_INTERVAL_NANOS;
        if (!finished && last != null && now - last < interval) {
            return;
        }
        if (!finished && last == null && !terminal) {
            lastDrawn.put(p.task(), now); // plain mode: first report after one interval, not at 0%
            return;
        }
        lastDrawn.put(p.task(), now);
        double seconds = Math.max((now - started.get(p.task())) / 1e9, 1e-3);
        String text = ProgressText.describe(p, seconds);
        if (terminal) {
            err.print("\r\033[K" + text);
            barShown = true;
            if (finished) {
                err.println();
                barShown = false;
            }
        } else {
            err.println(text);
        }
        err.flush();
        if (finished) {
            lastDrawn.remove(p.task());
            started.remove(p.task());
        }
    }

    private void line(String text) {
        if (barShown) {
            err.print("\r\033[K");
            barShown = false;
        }
        err.println(text);
        err.flush();
    }

    private static Map<String, Object> toMap(Event event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event.getClass().getSimpleName().toLowerCase());
        m.put("task", event.task());
        if (event instanceof Event.Progress p) {
            m.put("done", p.done());
            m.put("total", p.total());
            m.put("unit", p.unit().name().toLowerCase());
        } else if (event instanceof Event.Log l) {
            m.put("level", l.level().name().toLowerCase());
            m.put("message", l.message());
        } else if (event instanceof Event.PhaseStarted s) {
            m.put("phase", s.phase());
        } else if (event instanceof Event.PhaseFinished f) {
            m.put("phase", f.phase());
            m.put("seconds", f.nanos() / 1e9);
        }
        return m;
    }
}
