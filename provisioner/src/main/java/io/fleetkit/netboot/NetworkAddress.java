package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;

/** This host's IPv4 address on the boot network and its prefix length, from --address / --interface. */
public record NetworkAddress(Inet4Address address, int prefixLength, String interfaceName) {

    public Inet4Address netmask() {
        long mask = prefixLength == 0 ? 0 : 0xFFFFFFFFL << (32 - prefixLength) & 0xFFFFFFFFL;
        return io.fleetkit.netboot.dhcp.AddressRange.fromLong(mask);
    }

    public static NetworkAddress choose(String interfaceName, Inet4Address address) throws IOException {
        List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
        if (interfaceName != null) {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            if (nif == null) {
                throw new FleetkitException("netboot.no-interface", "there is no network interface '" + interfaceName + "'",
                        "use one of: " + String.join(", ", all.stream().map(NetworkInterface::getName).sorted().toList()));
            }
            all = List.of(nif);
        }
        for (NetworkInterface nif : all) {
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (!(ia.getAddress() instanceof Inet4Address v4)) {
                    continue;
                }
                boolean wanted = address != null ? v4.equals(address)
                        : interfaceName != null || !v4.isLoopbackAddress() && nif.isUp();
                if (wanted) {
                    return new NetworkAddress(v4, ia.getNetworkPrefixLength(), nif.getName());
                }
            }
        }
        if (address != null && interfaceName == null) {
            // Not (yet) configured here; trust the operator, assume a /24.
            return new NetworkAddress(address, 24, null);
        }
        throw new FleetkitException("netboot.no-address", interfaceName != null
                ? "interface '" + interfaceName + "' has no IPv4 address" + (address != null ? " " + address.getHostAddress() : "")
                : "no IPv4 address found on any interface",
                "give the boot network's address with --address, or its interface with --interface");
    }
}
