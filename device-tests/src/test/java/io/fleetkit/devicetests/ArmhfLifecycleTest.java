package io.fleetkit.devicetests;

import org.junit.jupiter.api.Test;

/** Scenario 6: the same lifecycle on the 32-bit qemu-armhf example (armhf JRE from openjdk-17-jdk-headless:armhf). */
class ArmhfLifecycleTest {

    @Test
    void flashedArmhfDeviceTakesTheRolloutSwapsToSlotBCommitsAndKeepsItAfterAPowerCut() throws Exception {
        LifecycleScenario.run("qemu-armhf", "qemu-armhf", "gateway-armhf", "gw-armhf-life");
    }
}
