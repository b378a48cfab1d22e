package io.fleetkit.ota.agent;

import io.fleetkit.ota.boot.RebootKind;

import java.io.IOException;

/** Restarts the device; injectable so a test can "power-cycle" a simulated device instead. */
@FunctionalInterface
public interface Rebooter {

    void reboot(RebootKind kind) throws IOException;
}
