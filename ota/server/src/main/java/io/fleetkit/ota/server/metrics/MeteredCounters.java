package io.fleetkit.ota.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** {@link ServerCounters} as Micrometer counters (exported with {@code _total}; see docs/metrics.md). */
final class MeteredCounters implements ServerCounters {

    private final Counter received;
    private final Counter sent;
    private final Map<Transport, Counter> served = new EnumMap<>(Transport.class);

    MeteredCounters(MeterRegistry registry) {
        received = Counter.builder("fleetkit.mqtt.messages.received").description("MQTT messages the server received from the broker")
                .register(registry);
        sent = Counter.builder("fleetkit.mqtt.messages.sent").description("MQTT messages the server published and the broker acknowledged")
                .register(registry);
        for (Transport t : Transport.values()) {
            served.put(t, Counter.builder("fleetkit.chunks.served").baseUnit("bytes")
                    .description("Bundle bytes sent to devices: chunk frames on MQTT, byte ranges over HTTP(S)")
                    .tag("transport", t.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    @Override
    public void mqttReceived() {
        received.increment();
    }

    @Override
    public void mqttSent() {
        sent.increment();
    }

    @Override
    public void chunkBytesServed(Transport transport, long bytes) {
        served.get(transport).increment(bytes);
    }
}
