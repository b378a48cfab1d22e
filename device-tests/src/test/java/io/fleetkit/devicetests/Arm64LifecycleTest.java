package io.fleetkit.devicetests;

import org.junit.jupiter.api.Test;

/** Scenario 1: the qemu-arm64 example, flashed with an identity, updated from 1.0.0 to 2.0.0 over MQTT through both slots. */
class Arm64LifecycleTest {

    @Test
    void flashedDeviceAppearsTakesTheRolloutSwapsToSlotBCommitsAndKeepsItAfterAPowerCut() throws Exception {
        LifecycleScenario.run("qemu-arm64", "qemu-arm64", "gateway", "gw-arm64-life");
    }
}
