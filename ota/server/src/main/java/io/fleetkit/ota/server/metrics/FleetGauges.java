package io.fleetkit.ota.server.metrics;

import io.fleetkit.ota.protocol.UpdateState;
import io.fleetkit.ota.server.db.DeviceGroup;
import io.fleetkit.ota.server.rollout.ActivePhases;
import io.fleetkit.ota.server.rollout.PhaseCounts;
import io.fleetkit.ota.server.rollout.Rollout;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The gauges set from a {@link FleetReading} just before each scrape: the devices, the active rollouts, the database's
 * health; and the broker link's, asked at the scrape itself. Each set of labelled rows is replaced whole
 * ({@link MultiGauge} with overwrite), so a version nobody runs any more, or a rollout that ended, leaves the scrape.
 */
final class FleetGauges {

    /** A board or version a device has not reported yet. */
    static final String UNKNOWN = "unknown";
    private static final List<RolloutState> ACTIVE = List.of(RolloutState.CREATED, RolloutState.RUNNING, RolloutState.PAUSED);

    private final MultiGauge byState;
    private final MultiGauge byVersion;
    private final MultiGauge online;
    private final MultiGauge offline;
    private final MultiGauge rolloutState;
    private final MultiGauge rolloutPhase;
    private final MultiGauge rolloutPhases;
    private final MultiGauge phaseDevices;
    private final MultiGauge phaseDone;
    private final MultiGauge phaseFailed;
    private volatile double databaseUp;
    private volatile double databasePing = Double.NaN;

    FleetGauges(MeterRegistry registry, BooleanSupplier brokerConnected) {
        byState = gauge(registry, "fleetkit.devices.by.state", "Devices in each update state (as last reported)");
        byVersion = gauge(registry, "fleetkit.devices.by.version", "Devices running each version, per board");
        online = gauge(registry, "fleetkit.devices.online", "Devices connected to the broker now");
        offline = gauge(registry, "fleetkit.devices.offline", "Devices known to the fleet and not connected now");
        rolloutState = gauge(registry, "fleetkit.rollout.state", "1 for the state an active rollout is in, 0 for its other active states");
        rolloutPhase = gauge(registry, "fleetkit.rollout.phase", "The current phase of an active rollout, counted from 1");
        rolloutPhases = gauge(registry, "fleetkit.rollout.phases", "How many phases an active rollout has");
        phaseDevices = gauge(registry, "fleetkit.rollout.phase.devices", "Devices in the current phase of an active rollout");
        phaseDone = gauge(registry, "fleetkit.rollout.phase.devices.done",
                "Devices of the current phase of an active rollout that are done: succeeded, failed or timed out");
        phaseFailed = gauge(registry, "fleetkit.rollout.phase.devices.failed",
                "Devices of the current phase of an active rollout that failed or timed out");
        Gauge.builder("fleetkit.database.up", this, g -> g.databaseUp).description("1 when the database answered the scrape's queries, else 0")
                .register(registry);
        Gauge.builder("fleetkit.database.ping", this, g -> g.databasePing).baseUnit("seconds")
                .description("How long the database took to answer a trivial query in a transaction, at the scrape").register(registry);
        Gauge.builder("fleetkit.broker.connected", brokerConnected, b -> b.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 when the server's link to the MQTT broker is connected, else 0").register(registry);
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    void update(FleetReading r) {
        databaseUp = r.up() ? 1 : 0;
        databasePing = r.pingSeconds();
        devices(r);
        rollouts(r.rollouts());
    }

    private void devices(FleetReading r) {
        if (!r.up()) {
            byState.register(List.of(), true);
            byVersion.register(List.of(), true);
            online.register(List.of(), true);
            offline.register(List.of(), true);
            return;
        }
        Map<UpdateState, Long> states = new EnumMap<>(UpdateState.class);
        Map<List<String>, Long> versions = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        long on = 0;
        long off = 0;
        for (UpdateState s : UpdateState.values()) {
            states.put(s, 0L); // every state always present, so a panel shows 0 rather than no data
        }
        for (DeviceGroup g : r.devices()) {
            states.merge(g.state(), g.devices(), Long::sum);
            versions.merge(List.of(orUnknown(g.board()), orUnknown(g.version())), g.devices(), Long::sum);
            if (g.online()) {
                on += g.devices();
            } else {
                off += g.devices();
            }
        }
        List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
        states.forEach((s, n) -> stateRows.add(MultiGauge.Row.of(Tags.of("state", s.name().toLowerCase(Locale.ROOT)), n)));
        byState.register(stateRows, true);
        List<MultiGauge.Row<?>> versionRows = new ArrayList<>();
        versions.forEach((k, n) -> versionRows.add(MultiGauge.Row.of(Tags.of("board", k.get(0), "version", k.get(1)), n)));
        byVersion.register(versionRows, true);
        online.register(List.of(MultiGauge.Row.of(Tags.empty(), on)), true);
        offline.register(List.of(MultiGauge.Row.of(Tags.empty(), off)), true);
    }

    private void rollouts(List<ActivePhases.Phase> phases) {
        List<MultiGauge.Row<?>> state = new ArrayList<>();
        List<MultiGauge.Row<?>> phase = new ArrayList<>();
        List<MultiGauge.Row<?>> count = new ArrayList<>();
        List<MultiGauge.Row<?>> devices = new ArrayList<>();
        List<MultiGauge.Row<?>> done = new ArrayList<>();
        List<MultiGauge.Row<?>> failed = new ArrayList<>();
        for (ActivePhases.Phase p : phases) {
            Rollout r = p.rollout();
            PhaseCounts c = p.counts();
            Tags id = Tags.of("rollout", r.id());
            for (RolloutState s : ACTIVE) {
                state.add(MultiGauge.Row.of(id.and("target", r.target(), "state", s.name().toLowerCase(Locale.ROOT)), r.state() == s ? 1 : 0));
            }
            phase.add(MultiGauge.Row.of(id, r.currentPhase() + 1));
            count.add(MultiGauge.Row.of(id, r.phaseCount()));
            devices.add(MultiGauge.Row.of(id, c.total()));
            done.add(MultiGauge.Row.of(id, c.succeeded() + c.failures()));
            failed.add(MultiGauge.Row.of(id, c.failures()));
        }
        rolloutState.register(state, true);
        rolloutPhase.register(phase, true);
        rolloutPhases.register(count, true);
        phaseDevices.register(devices, true);
        phaseDone.register(done, true);
        phaseFailed.register(failed, true);
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? UNKNOWN : s;
    }
}
