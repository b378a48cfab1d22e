package io.fleetkit.ota.server.db;

import java.util.List;

/** A page of devices in id order; {@code next} is the {@code after} of the next page, null on the last one. */
public record DevicePage(List<DeviceRecord> devices, String next) {

    public DevicePage {
        devices = List.copyOf(devices);
    }
}
