package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.EventRecord;
import io.fleetkit.ota.server.security.Revocation;
import java.util.List;

/** One device for `fleet device show`: its record, its newest events and its revocations. */
public record DeviceView(DeviceRecord device, List<EventRecord> events, List<Revocation> revocations) {
}
