package io.fleetkit.ota.server.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients that each send one request after another on their own thread (closed loop), for a warm-up and then a
 * measured span: only requests started inside the span count. With a pace, each client starts a request at most
 * once per pace (a user paging, not a script hammering); a client that falls behind goes on at once.
 */
final class ClientLoad {

    /** One client: sends its next request and returns when the answer is in; throws when it failed. */
    interface Client {
        void next() throws Exception;
    }

    private ClientLoad() {
    }

    static Latencies run(List<? extends Client> clients, Duration warmup, Duration measure, Duration pace) throws InterruptedException {
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long to = from + measure.toNanos();
        AtomicInteger errors = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            Client client = clients.get(i);
            long firstSlot = start + (pace.isZero() ? 0 : pace.toNanos() * i / clients.size()); // spread, not in step
            List<Double> mine = new ArrayList<>();
            times.add(mine);
            Thread t = new Thread(() -> {
                long slot = firstSlot;
                while (true) {
                    parkUntil(slot);
                    long t0 = System.nanoTime();
                    if (t0 >= to) {
                        return;
                    }
                    boolean ok = true;
                    try {
                        client.next();
                    } catch (Exception e) {
                        ok = false;
                        if (t0 >= from && errors.getAndIncrement() < 3) {
                            System.err.println("request failed: " + e);
                        }
                    }
                    long t1 = System.nanoTime();
                    if (ok && t0 >= from) {
                        mine.add((t1 - t0) / 1e6);
                    }
                    slot = pace.isZero() ? 0 : Math.max(slot + pace.toNanos(), t1);
                }
            }, "bench-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        parkUntil(from);
        long cpu0 = cpuNanos();
        ThreadCpu threads0 = ThreadCpu.now();
        parkUntil(to);
        long cpu1 = cpuNanos();
        Map<String, Double> byThreads = ThreadCpu.now().since(threads0);
        for (Thread t : threads) {
            t.join();
        }
        double[] all = times.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).toArray();
        double cpuShare = (cpu1 - cpu0) / (measure.toNanos() * (double) Runtime.getRuntime().availableProcessors());
        return new Latencies(all, errors.get(), measure.toNanos() / 1e9, cpuShare, byThreads);
    }

    private static void parkUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    /** CPU time of this whole JVM so far. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
