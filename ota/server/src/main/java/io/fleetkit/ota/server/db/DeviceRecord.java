package io.fleetkit.ota.server.db;

import io.fleetkit.ota.protocol.DesiredUpdate;
import io.fleetkit.ota.protocol.UpdateState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A device as the database knows it: its last report, liveness, tags, the desired update it is
 * being sent, its network identity (MACs sorted, serial as reported), its host name and settings
 * (empty/null until an agent that reports them has reported), and the certificate it last connected
 * with (serial in hex and expiry, as the embedded broker saw it; null when unknown).
 */
public record DeviceRecord(
        String id,
        String board,
        String version,
        long versionNumber,
        String slot,
        Map<String, String> slotVersions,
        UpdateState updateState,
        String updateTarget,
        double updateProgress,
        String updateReason,
        long freeBytes,
        long uptimeSeconds,
        String agent,
        List<String> tags,
        boolean online,
        Instant lastSeen,
        DesiredUpdate desired,
        List<String> macs,
        String serial,
        String hostname,
        Map<String, String> settings,
        String certificateSerial,
        Instant certificateNotAfter) {

    public DeviceRecord {
        macs = macs == null ? List.of() : List.copyOf(macs);
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
    }
}
