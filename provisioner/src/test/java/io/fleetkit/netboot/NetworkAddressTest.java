package io.fleetkit.netboot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkAddressTest {

    static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void networksOverlapWhenTheyAgreeOnTheShorterPrefix() throws Exception {
        assertTrue(NetworkAddress.overlap(ip("192.0.2.1"), 24, ip("192.0.2.2"), 24), "same /24 on two interfaces");
        assertTrue(NetworkAddress.overlap(ip("10.1.2.1"), 24, ip("10.0.0.5"), 8), "a /24 inside a /8");
        assertFalse(NetworkAddress.overlap(ip("198.51.100.1"), 24, ip("192.0.2.2"), 24));
        assertFalse(NetworkAddress.overlap(ip("10.1.2.1"), 24, ip("10.1.3.1"), 24));
    }

    @Test
    void loopbackOverlapsNoOtherInterface() throws Exception {
        NetworkAddress lo = NetworkAddress.choose(null, ip("127.0.0.1"));
        assertTrue(lo.overlappingNetworks().isEmpty(), lo.overlappingNetworks().toString());
    }
}
