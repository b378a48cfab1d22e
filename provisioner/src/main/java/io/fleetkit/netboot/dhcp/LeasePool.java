package io.fleetkit.netboot.dhcp;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Addresses handed out in full DHCP mode, in memory. An offer holds an address for a short
 * time; a lease for the lease time; expired entries are reused. Time comes from a {@link Clock}
 * so tests move it instead of sleeping.
 */
public final class LeasePool {

    private static final Duration OFFER_HOLD = Duration.ofSeconds(60);

    private record Lease(String mac, Inet4Address address, Instant expires) {
    }

    private final AddressRange range;
    private final Duration leaseTime;
    private final Clock clock;
    private final Map<String, Lease> byMac = new HashMap<>();
    private final Map<Long, Lease> byAddress = new HashMap<>();

    public LeasePool(AddressRange range, Duration leaseTime, Clock clock) {
        this.range = range;
        this.leaseTime = leaseTime;
        this.clock = clock;
    }

    public Duration leaseTime() {
        return leaseTime;
    }

    /** An address for {@code mac}: its current one, the one it asks for if free, else the lowest free one. */
    public synchronized Optional<Inet4Address> offer(String mac, Inet4Address requested) {
        Instant now = clock.instant();
        Lease own = byMac.get(mac);
        Inet4Address pick = null;
        if (own != null) {
            pick = own.address();
        } else if (requested != null && range.contains(requested) && free(requested, now)) {
            pick = requested;
        } else {
            for (long i = 0; i < range.size() && pick == null; i++) {
                if (free(range.at(i), now)) {
                    pick = range.at(i);
                }
            }
        }
        if (pick == null) {
            return Optional.empty();
        }
        Instant hold = own != null && own.expires().isAfter(now.plus(OFFER_HOLD)) ? own.expires() : now.plus(OFFER_HOLD);
        put(new Lease(mac, pick, hold));
        return Optional.of(pick);
    }

    /** Confirms {@code address} for {@code mac} for the lease time; false when it is not theirs to have. */
    public synchronized boolean acknowledge(String mac, Inet4Address address) {
        Instant now = clock.instant();
        if (!range.contains(address)) {
            return false;
        }
        Lease holder = byAddress.get(AddressRange.toLong(address));
        if (holder != null && !holder.mac().equals(mac) && holder.expires().isAfter(now)) {
            return false;
        }
        put(new Lease(mac, address, now.plus(leaseTime)));
        return true;
    }

    public synchronized void release(String mac) {
        Lease l = byMac.remove(mac);
        if (l != null) {
            byAddress.remove(AddressRange.toLong(l.address()));
        }
    }

    /** The unexpired lease of {@code mac}, if any. */
    public synchronized Optional<Inet4Address> leaseOf(String mac) {
        Lease l = byMac.get(mac);
        return l != null && l.expires().isAfter(clock.instant()) ? Optional.of(l.address()) : Optional.empty();
    }

    private boolean free(Inet4Address a, Instant now) {
        Lease l = byAddress.get(AddressRange.toLong(a));
        return l == null || !l.expires().isAfter(now);
    }

    private void put(Lease lease) {
        Lease old = byMac.remove(lease.mac());
        if (old != null) {
            byAddress.remove(AddressRange.toLong(old.address()));
        }
        Lease displaced = byAddress.remove(AddressRange.toLong(lease.address()));
        if (displaced != null) {
            byMac.remove(displaced.mac());
        }
        byMac.put(lease.mac(), lease);
        byAddress.put(AddressRange.toLong(lease.address()), lease);
    }
}
