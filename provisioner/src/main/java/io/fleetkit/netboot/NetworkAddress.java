package io.fleetkit.netboot;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.netboot.dhcp.AddressRange;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** This host's IPv4 address on the boot network and its prefix length, from --address / --interface. */
public record NetworkAddress(Inet4Address address, int prefixLength, String interfaceName) {

    public Inet4Address netmask() {
        long mask = prefixLength == 0 ? 0 : 0xFFFFFFFFL << (32 - prefixLength) & 0xFFFFFFFFL;
        return AddressRange.fromLong(mask);
    }

    /**
     * Other interfaces whose IPv4 networks overlap this one, e.g. {@code "eth0 192.0.2.2/24"}.
     * The kernel routes unicast replies (TFTP, HTTP, DHCP to a bound client) by destination, so
     * with an overlap they can leave through the other interface and never reach the board,
     * while broadcast DHCP still works: a boot that gets an address and then stalls.
     */
    public List<String> overlappingNetworks() throws IOException {
        List<String> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.getName().equals(interfaceName) || !nif.isUp()) {
                continue;
            }
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address v4 && !v4.equals(address)
                        && overlap(address, prefixLength, v4, ia.getNetworkPrefixLength())) {
                    out.add(nif.getName() + " " + v4.getHostAddress() + "/" + ia.getNetworkPrefixLength());
                }
            }
        }
        return out;
    }

    /** Whether two networks share addresses: they agree on the shorter of the two prefixes. */
    static boolean overlap(Inet4Address a, int prefixA, Inet4Address b, int prefixB) {
        int bits = Math.min(prefixA, prefixB);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (AddressRange.toLong(a) & mask) == (AddressRange.toLong(b) & mask);
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
