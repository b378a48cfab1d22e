package io.fleetkit.formats.bootstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UBootLoadAddressesTest {

    private static final long MIB = 1 << 20;

    @Test
    void thePiMapStaysInTheWindowAndUnpacksTheKernelWhereNothingElseLies() {
        UBootLoadAddresses a = UBootLoadAddresses.raspberryPi(384 * MIB);
        assertTrue(a.ramdisk() + a.ramdiskRoom() <= 384 * MIB);
        // booti unpacks into [kernelComp, ...) before moving the Image down: that room must hold a whole Image
        assertTrue(a.kernelCompRoom() >= a.kernelRoom() - MIB, a.toString());
        assertEquals(256 * MIB, a.ramdiskRoom());
    }

    @Test
    void refusesAMapThatDoesNotAscendOrAnUnalignedKernel() {
        assertThrows(IllegalArgumentException.class, () -> UBootLoadAddresses.raspberryPi(100 * MIB));
        assertThrows(IllegalArgumentException.class, () -> new UBootLoadAddresses(MIB, 64 * MIB, 65 * MIB, 66 * MIB, 67 * MIB, 68 * MIB));
    }
}
