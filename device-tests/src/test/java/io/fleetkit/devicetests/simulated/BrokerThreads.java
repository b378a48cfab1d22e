package io.fleetkit.devicetests.simulated;

import java.util.TreeSet;

/**
 * Names the embedded broker's session loops alive in this JVM. Moquette 0.17 runs one loop per
 * processor and a command that throws ends its loop for good (every client hashed to it then
 * stalls), so a missing loop explains a stalled fleet.
 */
final class BrokerThreads {

    private BrokerThreads() {
    }

    static String describe() {
        TreeSet<String> loops = new TreeSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            if (t.getName().startsWith("Session Executor")) {
                loops.add(t.getName());
            }
        });
        if (loops.isEmpty()) {
            return "no embedded broker session loops in this JVM";
        }
        return "embedded broker session loops alive: " + loops + " of " + Runtime.getRuntime().availableProcessors()
                + " (fewer means one died: Moquette 0.17 ends a loop when a command throws, e.g. on a QoS 1 PUBLISH with DUP=1)";
    }
}
