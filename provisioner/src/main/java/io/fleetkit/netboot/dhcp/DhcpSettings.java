package io.fleetkit.netboot.dhcp;

import java.net.Inet4Address;
import java.util.List;

/**
 * How the DHCP server answers.
 *
 * @param server     this host's address on the boot network: server identifier, next-server, TFTP server
 * @param clientPort where replies go (68; tests use another)
 * @param pool       addresses to hand out; null in proxy mode
 * @param netmask    option 1 in full mode
 * @param router     option 3 in full mode, or null
 * @param dns        option 6 in full mode, may be empty
 * @param httpBase   base URL of the HTTP server, e.g. {@code http://10.0.0.1:8080/}
 */
public record DhcpSettings(DhcpMode mode, Inet4Address server, int clientPort, LeasePool pool,
                           Inet4Address netmask, Inet4Address router, List<Inet4Address> dns, String httpBase) {

    public DhcpSettings {
        dns = List.copyOf(dns);
        if (mode == DhcpMode.FULL && pool == null) {
            throw new IllegalArgumentException("full DHCP needs an address pool");
        }
    }
}
