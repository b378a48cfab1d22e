package io.fleetkit.flash;

import java.io.IOException;

/** Changes one device's copy of the boot partition (held in memory) before it is written. */
@FunctionalInterface
public interface BootCustomiser {

    void customise(HeldRegion bootPartition) throws IOException;
}
