package io.fleetkit.netboot;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the servers learned about clients, by IP address: DHCP tells the MAC (and a Pi's serial
 * from option 97), a TFTP path {@code <serial>/...} tells the serial. TFTP and HTTP requests
 * carry only an address, so they look the client up here.
 */
public final class ClientRegistry {

    private static final int MAX_CLIENTS = 65536;
    private final ConcurrentHashMap<InetAddress, ClientIdentity> byAddress = new ConcurrentHashMap<>();

    public void learn(InetAddress address, ClientIdentity identity) {
        if (byAddress.size() >= MAX_CLIENTS && !byAddress.containsKey(address)) {
            byAddress.clear();
        }
        byAddress.merge(address, identity, (old, now) -> new ClientIdentity(
                now.mac() != null ? now.mac() : old.mac(),
                now.piSerial() != null ? now.piSerial() : old.piSerial()));
    }

    public ClientIdentity lookup(InetAddress address) {
        return byAddress.getOrDefault(address, ClientIdentity.UNKNOWN);
    }
}
