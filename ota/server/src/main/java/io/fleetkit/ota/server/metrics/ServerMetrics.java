package io.fleetkit.ota.server.metrics;

import io.fleetkit.events.EventSink;
import io.fleetkit.ota.server.db.Database;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;

/**
 * The server's metrics in Prometheus's text format (docs/metrics.md): the counters its parts feed through
 * {@link ServerCounters}, gauges of the fleet read from the database at each scrape ({@link FleetReading}, a fixed
 * number of grouped queries), the database's and the broker link's health, and the JVM's own meters. Served by the
 * API at {@code /metrics}.
 */
public final class ServerMetrics implements AutoCloseable {

    /** Prometheus's text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MeteredCounters counters;
    private final FleetGauges gauges;
    private final Database db;
    private final EventSink sink;

    /** Metrics read from {@code db} (a connection of the API's, not the one devices' messages are applied on). */
    public ServerMetrics(Database db, BooleanSupplier brokerConnected, EventSink sink) {
        this.db = db;
        this.sink = sink;
        // Two of ProcessorMetrics' names fail Prometheus's lint (promtool check metrics): process_cpu_time_ns_total
        // (an abbreviated unit, and not the customary process_cpu_seconds_total) and system_cpu_count (a gauge named
        // like a histogram's part). The first is replaced by process_cpu_seconds_total below, the second renamed.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time"))).meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        // (filters first: they apply to meters registered after them)
        this.counters = new MeteredCounters(registry);
        this.gauges = new FleetGauges(registry, brokerConnected);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the server's process has used").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public ServerCounters counters() {
        return counters;
    }

    /** Reads the fleet and renders every meter; one scrape at a time, so two scrapers never interleave their readings. */
    public synchronized String scrape() {
        gauges.update(FleetReading.read(db, e -> sink.warn("metrics", "the database did not answer the metrics' queries: " + e.getMessage())));
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
