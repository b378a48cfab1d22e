package io.fleetkit.ota.server.bench;

import java.util.Arrays;
import java.util.Map;

/** Request times of one measured phase, in milliseconds, and what a table shows of them. */
final class Latencies {

    private final double[] sorted;
    private final int errors;
    private final double seconds;
    private final double cpuShare;
    private final Map<String, Double> cpuByThreads;

    Latencies(double[] millis, int errors, double seconds, double cpuShare, Map<String, Double> cpuByThreads) {
        this.cpuByThreads = cpuByThreads;
        this.sorted = millis.clone();
        Arrays.sort(this.sorted);
        this.errors = errors;
        this.seconds = seconds;
        this.cpuShare = cpuShare;
    }

    int count() {
        return sorted.length;
    }

    int errors() {
        return errors;
    }

    double perSecond() {
        return sorted.length / seconds;
    }

    /** The share of both cores this JVM (server, agents and clients alike) used during the phase, 0..1. */
    double cpuShare() {
        return cpuShare;
    }

    /** The {@code p}-th percentile by the nearest-rank rule (p99 of 1,000 is the 990th fastest). */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** CPU seconds of the phase by group of threads, largest first. */
    Map<String, Double> cpuByThreads() {
        return cpuByThreads;
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
