package io.fleetkit.ota.server.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads at one moment, to say afterwards which parts used the CPU in between: the server's
 * API workers, the HTTP server's dispatcher, the clients, the simulated devices, the broker, the database. Threads are
 * grouped by name with their numbers taken out ({@code fleet-api}, {@code HttpClient-#-SelectorManager}, {@code mqtt-gw-#}).
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> nanos = new HashMap<>();

    static ThreadCpu now() {
        ThreadCpu s = new ThreadCpu();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                long cpu = THREADS.getThreadCpuTime(t.getThreadId());
                if (cpu >= 0) {
                    s.names.put(t.getThreadId(), t.getThreadName());
                    s.nanos.put(t.getThreadId(), cpu);
                }
            }
        }
        return s;
    }

    /** CPU seconds used between {@code before} and this, by group of threads, largest first (threads gone since are not counted). */
    Map<String, Double> since(ThreadCpu before) {
        Map<String, Double> groups = new HashMap<>();
        for (Map.Entry<Long, Long> e : nanos.entrySet()) {
            long used = e.getValue() - before.nanos.getOrDefault(e.getKey(), 0L);
            groups.merge(group(names.get(e.getKey())), used / 1e9, Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String group(String name) {
        return name.replaceAll("[0-9]+", "#");
    }
}
