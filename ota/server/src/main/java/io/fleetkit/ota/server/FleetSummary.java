package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.rollout.Rollout;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet at a glance, as the dashboard's overview shows it: how many devices run each version on each board and
 * how many of them are online, and the rollouts not yet ended. Versions sort by board, then version; a board or
 * version the device never reported is null (sorted first).
 */
public record FleetSummary(List<VersionCount> versions, List<Rollout> activeRollouts) {

    /** {@code devices} devices of {@code board} run {@code version}, {@code online} of them online now. */
    public record VersionCount(String board, String version, long devices, long online) {
    }

    static final Comparator<VersionCount> ORDER = Comparator.comparing(VersionCount::board, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(VersionCount::version, Comparator.nullsFirst(Comparator.naturalOrder()));

    public FleetSummary {
        versions = versions.stream().sorted(ORDER).toList();
        activeRollouts = activeRollouts.stream().filter(r -> r.state().isActive()).toList();
    }

    public long devices() {
        return versions.stream().mapToLong(VersionCount::devices).sum();
    }

    public long online() {
        return versions.stream().mapToLong(VersionCount::online).sum();
    }

    /** The summary of a fleet given whole (a client that can only list devices computes it so). */
    public static FleetSummary of(List<DeviceRecord> devices, List<Rollout> rollouts) {
        Map<List<String>, long[]> counts = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(k -> k.get(1), Comparator.nullsFirst(Comparator.naturalOrder())));
        for (DeviceRecord d : devices) {
            long[] c = counts.computeIfAbsent(java.util.Arrays.asList(d.board(), d.version()), k -> new long[2]);
            c[0]++;
            c[1] += d.online() ? 1 : 0;
        }
        return new FleetSummary(counts.entrySet().stream().map(e -> new VersionCount(e.getKey().get(0), e.getKey().get(1), e.getValue()[0], e.getValue()[1]))
                .toList(), rollouts);
    }
}
