package io.fleetkit.ota.server;

import io.fleetkit.ota.server.db.DeviceRecord;
import io.fleetkit.ota.server.db.EventRecord;
import java.util.List;

/** One device for `fleet device show`: its record and its newest events. */
public record DeviceView(DeviceRecord device, List<EventRecord> events) {
}
