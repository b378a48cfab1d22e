package io.fleetkit.ota.server.broker;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The session event loops of one embedded Moquette, so the server can tell when one has ended.
 * Moquette 0.17 runs every client's commands on one of a few loop threads ("Session Executor N",
 * one per core, chosen by the client id's hash) and ends a loop for good when a command throws;
 * one does when a PUBACK races a disconnect and a message is released twice (seen in the transfer
 * bench, about once per twenty to sixty 64 MiB downloads). From then on every client routed to that loop,
 * perhaps the fleet server's own, is silently cut off: its CONNECT is never answered, its
 * messages go nowhere. Moquette offers no hook, so the loops are recognised by name as the broker
 * starts them.
 */
final class SessionLoops {

    static final String NAME_PREFIX = "Session Executor ";

    /** Moquette's start, which creates the loops. */
    interface Start {
        void run() throws IOException;
    }

    private final List<Thread> threads;

    private SessionLoops(List<Thread> threads) {
        this.threads = threads;
    }

    /**
     * Runs {@code start} and takes the loop threads it created. Brokers of one JVM start one at a
     * time, so each takes only its own.
     */
    static SessionLoops startedBy(Start start) throws IOException {
        synchronized (SessionLoops.class) {
            Set<Thread> before = loopThreads();
            start.run();
            return new SessionLoops(loopThreads().stream().filter(t -> !before.contains(t)).toList());
        }
    }

    private static Set<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(NAME_PREFIX)).collect(Collectors.toSet());
    }

    /** How many loops were found (0: this Moquette names them differently, and nothing can be watched). */
    int count() {
        return threads.size();
    }

    /** The names of loops that have ended, empty while all run. */
    List<String> ended() {
        return threads.stream().filter(t -> !t.isAlive()).map(Thread::getName).toList();
    }

    /** The loop a client id is routed to, as Moquette 0.17 routes it: by the id's hash over the loops it started. */
    Thread routedTo(String clientId) {
        if (threads.isEmpty()) {
            throw new IllegalStateException("no session loops were found to route " + clientId + " to");
        }
        String name = NAME_PREFIX + Math.abs(clientId.hashCode()) % threads.size();
        return threads.stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no session loop named " + name + " among " + threads));
    }
}
